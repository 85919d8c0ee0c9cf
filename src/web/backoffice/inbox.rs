//! `GET /admin`: the inbox, newest reports first (nothing sealed is opened).

use axum::extract::State;
use axum::response::Html;

use super::session::SignedIn;
use crate::domain::followup::status_message_id;
use crate::error::AppError;
use crate::storage::reports;
use crate::web::AppState;
use crate::web::language::Lang;
use crate::web::public::followup::format_date;
use crate::web::templates::{InboxPage, InboxRow, Tr, render};

pub async fn get(
    State(state): State<AppState>,
    Lang(lang): Lang,
    SignedIn(session): SignedIn,
) -> Result<Html<String>, AppError> {
    let tr = Tr::new(lang);
    let rows = reports::newest(&state.db, &session.user.organisation_id, 100)
        .await
        .map_err(crate::domain::DomainError::from)?
        .into_iter()
        .map(|r| InboxRow {
            date: format_date(r.created_at),
            category: tr.t(&format!("cat-{}", r.category)),
            country: crate::i18n::country_name(tr.code(), &r.country),
            language: r.language,
            status: tr.t(status_message_id(&r.status)),
        })
        .collect();
    Ok(render(&InboxPage {
        tr,
        email: session.user.email.clone(),
        has_access: session.organisation_key.is_some(),
        rows,
    }))
}
