use axum::extract::State;
use axum::response::Html;

use crate::error::AppError;
use crate::storage::organisations;
use crate::web::AppState;
use crate::web::language::Lang;
use crate::web::templates::{HomePage, Tr, render};

/// `GET /`: what can be reported, or that reporting is not open yet.
pub async fn get(
    State(state): State<AppState>,
    Lang(lang): Lang,
) -> Result<Html<String>, AppError> {
    let organisation = organisations::default_organisation(&state.db)
        .await
        .map_err(crate::domain::DomainError::from)?
        .map(|o| o.name);
    Ok(render(&HomePage {
        tr: Tr::new(lang),
        organisation,
        pages: super::awareness::page_links(lang.code),
    }))
}
