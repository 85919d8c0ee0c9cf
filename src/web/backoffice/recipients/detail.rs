//! `/admin/recipients/{recipient}`: one recipient's page (its details,
//! rules and portal accounts), saving changes, and disabling or enabling it.
//! The rules and portal accounts post to their own files and come back here.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use super::{NOTICES, RecipientFields, RecipientForm, back};
use crate::domain::portal_accounts as portal;
use crate::domain::recipients::{self as domain, RecipientInput};
use crate::domain::reports::CATEGORIES;
use crate::domain::{DomainError, FieldError};
use crate::i18n;
use crate::web::AppState;
use crate::web::backoffice::page::{
    Choice, Frame, NoticeQuery, choices, coded_choices, framed, notice,
};
use crate::web::backoffice::session::Member;
use crate::web::error::AppError;
use crate::web::templates::{Tr, render};

pub struct RuleView {
    pub country_code: String,
    pub country: String,
    pub category_code: String,
    pub category: String,
}

pub struct AccountView {
    pub id: String,
    pub email: String,
    pub state: String,
    pub disabled: bool,
}

/// A portal invitation just made, shown once.
pub struct InvitationView {
    pub email: String,
    pub url: String,
    pub mailed: bool,
}

#[derive(Template)]
#[template(path = "backoffice/recipient.html")]
pub struct RecipientPage {
    pub frame: Frame,
    pub id: String,
    pub name: String,
    pub disabled: bool,
    pub form: RecipientFields,
    pub rules: Vec<RuleView>,
    pub rule_countries: Vec<Choice>,
    pub rule_categories: Vec<Choice>,
    pub accounts: Vec<AccountView>,
    pub invitation: Option<InvitationView>,
    pub invite_email: String,
}

/// What a recipient page shows besides the stored recipient.
#[derive(Default)]
pub(super) struct Extras {
    pub errors: Vec<FieldError>,
    pub notice: Option<String>,
    pub input: Option<RecipientInput>,
    pub invitation: Option<InvitationView>,
    pub invite_email: String,
}

/// `GET /admin/recipients/{recipient}`
pub async fn show(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(recipient): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let extras = Extras {
        notice: notice(tr, NOTICES, &query.notice),
        ..Extras::default()
    };
    recipient_page(&state, tr, &member, &recipient, extras).await
}

pub(super) async fn recipient_page(
    state: &AppState,
    tr: Tr,
    member: &Member,
    id: &str,
    extras: Extras,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    actor.require(crate::domain::actor::Permission::ManageDirectory)?;
    let r = domain::get(state.ctx(), actor, id).await?;
    let rules = domain::rules(state.ctx(), actor)
        .await?
        .into_iter()
        .filter(|(recipient, ..)| *recipient == r.id)
        .map(|(_, country, category)| RuleView {
            country: i18n::country_name(tr.code(), &country),
            country_code: country,
            category: if category.is_empty() {
                tr.t("recipient-any-category")
            } else {
                tr.t(&format!("cat-{category}"))
            },
            category_code: category,
        })
        .collect();
    let accounts = portal::accounts_of(state.ctx(), actor, &r.id)
        .await?
        .into_iter()
        .map(|a| AccountView {
            state: tr.t(if a.disabled {
                "users-disabled"
            } else if !a.set_up {
                "portal-account-invited"
            } else {
                "users-active"
            }),
            disabled: a.disabled,
            id: a.id,
            email: a.email,
        })
        .collect();
    let input = extras.input.unwrap_or_else(|| RecipientInput {
        name: r.name.clone(),
        country: r.country.clone(),
        kind: r.kind.clone(),
        email: r.email.clone().unwrap_or_default(),
        openpgp_key: r.openpgp_key.clone().unwrap_or_default(),
        notes: r.notes.clone().unwrap_or_default(),
    });
    let page = RecipientPage {
        frame: Frame::member(tr, member, "recipients")
            .with_errors(extras.errors)
            .with_notice(extras.notice),
        id: r.id,
        name: r.name,
        disabled: r.disabled,
        form: RecipientFields::new(tr, &input),
        rules,
        rule_countries: choices(i18n::countries_by_name(tr.code()), &r.country),
        rule_categories: coded_choices(tr, CATEGORIES, "cat-", ""),
        accounts,
        invitation: extras.invitation,
        invite_email: extras.invite_email,
    };
    Ok((page.status(), render(&page)).into_response())
}

/// `POST /admin/recipients/{recipient}`: saves changes.
pub async fn save(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(recipient): Path<String>,
    Form(form): Form<RecipientForm>,
) -> Result<Response, AppError> {
    let input = form.input();
    match domain::save(state.ctx(), &member.session.actor, Some(&recipient), &input).await {
        Ok(id) => Ok(
            Redirect::to(&format!("/admin/recipients/{id}?notice=recipient-saved")).into_response(),
        ),
        Err(DomainError::Invalid(errors)) => {
            let extras = Extras {
                errors,
                input: Some(input),
                ..Extras::default()
            };
            recipient_page(&state, tr, &member, &recipient, extras).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /admin/recipients/{recipient}/disable`
pub async fn disable(
    State(state): State<AppState>,
    member: Member,
    Path(recipient): Path<String>,
) -> Result<Response, AppError> {
    domain::set_disabled(state.ctx(), &member.session.actor, &recipient, true).await?;
    Ok(back(&recipient, "recipient-disabled"))
}

/// `POST /admin/recipients/{recipient}/enable`
pub async fn enable(
    State(state): State<AppState>,
    member: Member,
    Path(recipient): Path<String>,
) -> Result<Response, AppError> {
    domain::set_disabled(state.ctx(), &member.session.actor, &recipient, false).await?;
    Ok(back(&recipient, "recipient-enabled"))
}

framed!(RecipientPage);
