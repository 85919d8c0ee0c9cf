use axum::extract::{Query, State};
use axum::response::Html;
use serde::Deserialize;

use crate::domain::network;
use crate::domain::values::CountryCode;
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::language::Lang;
use crate::web::templates::{Elsewhere, HomePage, Tr, render};

#[derive(Deserialize)]
pub struct HomeQuery {
    /// The country whose emergency number the visitor wants to see.
    country: Option<String>,
}

/// `GET /`: what can be reported, or that reporting is not open yet, and the
/// emergency number of the visitor's chosen country (the organisation's by default).
pub async fn get(
    State(state): State<AppState>,
    Lang(lang): Lang,
    Query(query): Query<HomeQuery>,
) -> Result<Html<String>, AppError> {
    let organisation = network::public_organisation(state.ctx()).await?;
    let chosen = query
        .country
        .as_deref()
        .and_then(|c| CountryCode::parse(c).ok())
        .map(|c| c.as_str().to_string());
    let country = chosen.or_else(|| organisation.as_ref().map(|o| o.country.clone()));
    let countries = crate::i18n::countries_by_name(lang.code)
        .into_iter()
        .map(|(code, name)| (code.to_string(), name))
        .collect();
    let elsewhere = match &country {
        Some(code) if organisation.is_some() => elsewhere(&state, lang.code, code).await?,
        _ => None,
    };
    Ok(render(&HomePage {
        tr: Tr::new(lang),
        organisation: organisation.map(|o| o.name),
        emergency_number: country
            .as_deref()
            .and_then(|c| state.directory.emergency(c)),
        country,
        countries,
        elsewhere,
        pages: super::awareness::page_links(lang.code),
    }))
}

/// Where to report about a country when no organisation here covers it.
pub async fn elsewhere(
    state: &AppState,
    lang: &str,
    country: &str,
) -> Result<Option<Elsewhere>, AppError> {
    if network::covers(state.ctx(), country).await? {
        return Ok(None);
    }
    let entry = state.directory.entry(country).unwrap_or_default();
    Ok(Some(Elsewhere {
        country: crate::i18n::country_name(lang, country),
        mechanism: entry.mechanism,
        mechanism_url: entry.mechanism_url,
    }))
}
