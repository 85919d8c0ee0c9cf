//! `/admin/network`: what the organisations of the instance share, for the
//! administrators of the coordinating organisation: which organisation
//! receives the reports of each country, which ones cover every country,
//! and the countries directory (emergency numbers, national mechanisms).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::page::{Choice, Frame, NoticeQuery, choices, framed, notice};
use super::session::Member;
use crate::domain::directory::CountryEntry;
use crate::domain::{DomainError, FieldError, network};
use crate::i18n;
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::templates::{Tr, render};

pub struct OrganisationView {
    pub id: String,
    pub name: String,
    pub country: String,
    pub covers_all: bool,
    pub coordinating: bool,
}

pub struct RuleView {
    pub country_code: String,
    pub country: String,
    pub organisation: String,
}

#[derive(Template)]
#[template(path = "backoffice/network.html")]
pub struct NetworkPage {
    pub frame: Frame,
    pub organisations: Vec<OrganisationView>,
    pub rules: Vec<RuleView>,
    pub countries: Vec<Choice>,
    pub organisation_choices: Vec<Choice>,
}

const NOTICES: &[&str] = &["routing-changed", "directory-changed"];

/// `GET /admin/network`
pub async fn get(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    page(
        &state,
        tr,
        &member,
        Vec::new(),
        notice(tr, NOTICES, &query.notice),
    )
    .await
}

async fn page(
    state: &AppState,
    tr: Tr,
    member: &Member,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let network = network::overview(state.ctx(), &member.session.actor).await?;
    let coordinating = network.organisations.first().map(|o| o.id.clone());
    let page = NetworkPage {
        frame: Frame::member(tr, member, "network")
            .with_errors(errors)
            .with_notice(notice),
        organisation_choices: choices(
            network
                .organisations
                .iter()
                .map(|o| (o.id.clone(), o.name.clone())),
            "",
        ),
        organisations: network
            .organisations
            .into_iter()
            .map(|o| OrganisationView {
                coordinating: coordinating.as_deref() == Some(o.id.as_str()),
                country: i18n::country_name(tr.code(), &o.country),
                covers_all: o.covers_all_countries != 0,
                id: o.id,
                name: o.name,
            })
            .collect(),
        rules: network
            .rules
            .into_iter()
            .map(|(code, _, organisation)| RuleView {
                country: i18n::country_name(tr.code(), &code),
                country_code: code,
                organisation,
            })
            .collect(),
        countries: choices(i18n::countries_by_name(tr.code()), ""),
    };
    Ok((page.status(), render(&page)).into_response())
}

#[derive(Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    organisation: String,
}

/// `POST /admin/network/rules`: sends a country's reports to an organisation, or stops.
pub async fn rule(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Form(form): Form<RuleForm>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let outcome = if form.action == "remove" {
        network::remove_rule(state.ctx(), actor, &form.country).await
    } else {
        network::set_rule(state.ctx(), actor, &form.country, &form.organisation).await
    };
    match outcome {
        Ok(()) => Ok(Redirect::to("/admin/network?notice=routing-changed").into_response()),
        Err(DomainError::Invalid(errors)) => page(&state, tr, &member, errors, None).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub struct CoverageForm {
    #[serde(default)]
    covers_all: String,
}

/// `POST /admin/network/organisations/{organisation}/coverage`
pub async fn coverage(
    State(state): State<AppState>,
    member: Member,
    Path(organisation): Path<String>,
    Form(form): Form<CoverageForm>,
) -> Result<Response, AppError> {
    network::set_covers_all(
        state.ctx(),
        &member.session.actor,
        &organisation,
        form.covers_all == "yes",
    )
    .await?;
    Ok(Redirect::to("/admin/network?notice=routing-changed").into_response())
}

pub struct CountryView {
    pub code: String,
    pub name: String,
    pub entry: CountryEntry,
    pub changed: bool,
}

#[derive(Template)]
#[template(path = "backoffice/countries.html")]
pub struct CountriesPage {
    pub frame: Frame,
    pub countries: Vec<CountryView>,
    pub all_countries: Vec<Choice>,
}

/// `GET /admin/network/countries`: the directory.
pub async fn countries(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let entries = state
        .directory
        .for_coordinator(state.ctx(), &member.session.actor)
        .await?;
    let mut countries: Vec<CountryView> = entries
        .into_iter()
        .map(|(code, entry, changed)| CountryView {
            name: i18n::country_name(tr.code(), &code),
            code,
            entry,
            changed,
        })
        .collect();
    countries.sort_by(|a, b| a.name.cmp(&b.name));
    let page = CountriesPage {
        frame: Frame::member(tr, &member, "network").with_notice(notice(
            tr,
            NOTICES,
            &query.notice,
        )),
        countries,
        all_countries: choices(i18n::countries_by_name(tr.code()), ""),
    };
    Ok(render(&page).into_response())
}

#[derive(Template)]
#[template(path = "backoffice/country.html")]
pub struct CountryPage {
    pub frame: Frame,
    pub code: String,
    pub name: String,
    pub emergency: String,
    pub mechanism: String,
    pub mechanism_url: String,
    pub languages: String,
}

impl CountryPage {
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CountryQuery {
    /// The country chosen in the list's "another country" form.
    code: String,
}

/// `GET /admin/network/countries/{country}` (or `.../choose?code=XX`)
pub async fn country(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(country): Path<String>,
    Query(query): Query<CountryQuery>,
) -> Result<Response, AppError> {
    let code = if query.code.is_empty() {
        country
    } else {
        query.code
    }
    .to_ascii_uppercase();
    // The directory's rows are only for its coordinators.
    network::require_coordinator(state.ctx(), &member.session.actor).await?;
    if !i18n::countries_by_name("en")
        .iter()
        .any(|(c, _)| *c == code)
    {
        return Err(DomainError::NotFound.into());
    }
    let entry = state.directory.entry(&code).unwrap_or_default();
    let form = CountryForm {
        emergency: entry.emergency.unwrap_or_default(),
        mechanism: entry.mechanism.unwrap_or_default(),
        mechanism_url: entry.mechanism_url.unwrap_or_default(),
        languages: entry.languages.join(", "),
    };
    Ok(country_page(tr, &member, code, form, Vec::new()))
}

fn country_page(
    tr: Tr,
    member: &Member,
    code: String,
    form: CountryForm,
    errors: Vec<FieldError>,
) -> Response {
    let page = CountryPage {
        frame: Frame::member(tr, member, "network").with_errors(errors),
        name: i18n::country_name(tr.code(), &code),
        code,
        emergency: form.emergency,
        mechanism: form.mechanism,
        mechanism_url: form.mechanism_url,
        languages: form.languages,
    };
    (page.status(), render(&page)).into_response()
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub struct CountryForm {
    emergency: String,
    mechanism: String,
    mechanism_url: String,
    /// Language codes, separated by commas or spaces.
    languages: String,
}

/// `POST /admin/network/countries/{country}`
pub async fn save_country(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(country): Path<String>,
    Form(form): Form<CountryForm>,
) -> Result<Response, AppError> {
    let entry = CountryEntry {
        emergency: Some(form.emergency.clone()),
        mechanism: Some(form.mechanism.clone()),
        mechanism_url: Some(form.mechanism_url.clone()),
        languages: form
            .languages
            .split([',', ' '])
            .map(str::to_string)
            .collect(),
    };
    let outcome = state
        .directory
        .update(state.ctx(), &member.session.actor, &country, entry)
        .await;
    match outcome {
        Ok(()) => {
            Ok(Redirect::to("/admin/network/countries?notice=directory-changed").into_response())
        }
        Err(DomainError::Invalid(errors)) => Ok(country_page(
            tr,
            &member,
            country.to_ascii_uppercase(),
            form,
            errors,
        )),
        Err(other) => Err(other.into()),
    }
}

framed!(NetworkPage, CountriesPage, CountryPage);
