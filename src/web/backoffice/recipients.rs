//! `/admin/recipients`: the authorities and partners an organisation refers
//! cases to, for its administrators: their delivery channels (an e-mail
//! address with its OpenPGP key, accounts on the authority portal, or by
//! hand), the rules that suggest them for a case, and portal accounts.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::page::{Choice, Frame, NoticeQuery, choices, coded_choices, framed, notice};
use super::session::Member;
use crate::domain::recipients::{self as domain, Kind, RecipientInput};
use crate::domain::referrals::{email, portal};
use crate::domain::reports::CATEGORIES;
use crate::domain::{DomainError, FieldError};
use crate::i18n;
use crate::web::AppState;
use crate::web::backoffice::inbox::codes;
use crate::web::error::AppError;
use crate::web::templates::{Tr, render};

pub struct RecipientView {
    pub id: String,
    pub name: String,
    pub country: String,
    pub kind: String,
    pub channel: String,
    pub disabled: bool,
}

#[derive(Template)]
#[template(path = "backoffice/recipients.html")]
pub struct RecipientsPage {
    pub frame: Frame,
    pub recipients: Vec<RecipientView>,
    pub form: RecipientFields,
}

/// The fields of the recipient form, as typed, with their choices.
pub struct RecipientFields {
    pub name: String,
    pub email: String,
    pub openpgp_key: String,
    pub notes: String,
    pub countries: Vec<Choice>,
    pub kinds: Vec<Choice>,
}

impl RecipientFields {
    fn new(tr: Tr, input: &RecipientInput) -> Self {
        Self {
            name: input.name.clone(),
            email: input.email.clone(),
            openpgp_key: input.openpgp_key.clone(),
            notes: input.notes.clone(),
            countries: choices(i18n::countries_by_name(tr.code()), &input.country),
            kinds: coded_choices(
                tr,
                &codes(Kind::ALL, |k| k.as_str()),
                "recipient-kind-",
                &input.kind,
            ),
        }
    }
}

/// The channel a recipient's referrals take, in words.
fn channel(tr: Tr, r: &domain::Recipient, portal_accounts: usize) -> String {
    let code = if portal_accounts > 0 {
        "portal"
    } else if r.email.is_some() && r.openpgp_key.is_some() {
        "email"
    } else {
        "manual"
    };
    tr.t(&format!("referral-channel-{code}"))
}

const NOTICES: &[&str] = &[
    "recipient-saved",
    "recipient-disabled",
    "recipient-enabled",
    "rules-changed",
    "portal-account-disabled",
    "portal-account-enabled",
];

/// `GET /admin/recipients`
pub async fn list(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let input = RecipientInput::default();
    list_page(
        &state,
        tr,
        &member,
        Vec::new(),
        notice(tr, NOTICES, &query.notice),
        &input,
    )
    .await
}

async fn list_page(
    state: &AppState,
    tr: Tr,
    member: &Member,
    errors: Vec<FieldError>,
    notice: Option<String>,
    input: &RecipientInput,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    // Only administrators manage recipients (analysts choose them on a case).
    actor.require(crate::domain::actor::Permission::ManageDirectory)?;
    let mut recipients = Vec::new();
    for r in domain::list(state.ctx(), actor).await? {
        let accounts = portal::accounts_of(state.ctx(), actor, &r.id).await?;
        let active = accounts.iter().filter(|a| a.set_up && !a.disabled).count();
        recipients.push(RecipientView {
            channel: channel(tr, &r, active),
            country: i18n::country_name(tr.code(), &r.country),
            kind: tr.t(&format!("recipient-kind-{}", r.kind)),
            disabled: r.disabled,
            id: r.id,
            name: r.name,
        });
    }
    let page = RecipientsPage {
        frame: Frame::member(tr, member, "recipients")
            .with_errors(errors)
            .with_notice(notice),
        recipients,
        form: RecipientFields::new(tr, input),
    };
    Ok((page.status(), render(&page)).into_response())
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RecipientForm {
    name: String,
    country: String,
    kind: String,
    email: String,
    openpgp_key: String,
    notes: String,
}

impl RecipientForm {
    fn input(self) -> RecipientInput {
        RecipientInput {
            name: self.name,
            country: self.country,
            kind: self.kind,
            email: self.email,
            openpgp_key: self.openpgp_key,
            notes: self.notes,
        }
    }
}

/// `POST /admin/recipients`: adds a recipient.
pub async fn create(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Form(form): Form<RecipientForm>,
) -> Result<Response, AppError> {
    let input = form.input();
    match domain::save(state.ctx(), &member.session.actor, None, &input).await {
        Ok(id) => Ok(
            Redirect::to(&format!("/admin/recipients/{id}?notice=recipient-saved")).into_response(),
        ),
        Err(DomainError::Invalid(errors)) => {
            list_page(&state, tr, &member, errors, None, &input).await
        }
        Err(other) => Err(other.into()),
    }
}

/// `GET /admin/recipients/openpgp-key`: the organisation's public OpenPGP
/// key, which recipients use to check that a referral comes from it.
pub async fn openpgp_key(
    State(state): State<AppState>,
    member: Member,
) -> Result<Response, AppError> {
    let cert = email::organisation_certificate(state.ctx(), &member.session.actor).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pgp-keys"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"organisation-openpgp-key.asc\"",
            ),
        ],
        cert,
    )
        .into_response())
}

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
struct Extras {
    errors: Vec<FieldError>,
    notice: Option<String>,
    input: Option<RecipientInput>,
    invitation: Option<InvitationView>,
    invite_email: String,
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

async fn recipient_page(
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

fn back(recipient: &str, notice: &str) -> Response {
    Redirect::to(&format!("/admin/recipients/{recipient}?notice={notice}")).into_response()
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

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RuleForm {
    action: String,
    country: String,
    category: String,
}

/// `POST /admin/recipients/{recipient}/rules`: suggests the recipient for a
/// country (and a category), or stops.
pub async fn rule(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(recipient): Path<String>,
    Form(form): Form<RuleForm>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let outcome = if form.action == "remove" {
        domain::remove_rule(
            state.ctx(),
            actor,
            &recipient,
            &form.country,
            &form.category,
        )
        .await
    } else {
        domain::add_rule(
            state.ctx(),
            actor,
            &recipient,
            &form.country,
            &form.category,
        )
        .await
    };
    match outcome {
        Ok(()) => Ok(back(&recipient, "rules-changed")),
        Err(DomainError::Invalid(errors)) => {
            let extras = Extras {
                errors,
                ..Extras::default()
            };
            recipient_page(&state, tr, &member, &recipient, extras).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    email: String,
}

/// `POST /admin/recipients/{recipient}/portal-accounts`: invites a person
/// of the recipient to the authority portal; the link is shown once.
pub async fn invite(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Path(recipient): Path<String>,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let extras = match portal::invite(state.ctx(), actor, &recipient, &form.email).await {
        Ok(token) => {
            let url = format!(
                "{}/portal/invitation/{token}",
                state.settings.public_base_url()
            );
            let mailed = state
                .mailer
                .send_translated(
                    form.email.trim(),
                    "mail-portal-invitation-subject",
                    "mail-portal-invitation-body",
                    &[("link", &url)],
                )
                .await;
            Extras {
                invitation: Some(InvitationView {
                    email: form.email.trim().to_string(),
                    url,
                    mailed,
                }),
                ..Extras::default()
            }
        }
        Err(DomainError::Invalid(errors)) => Extras {
            // The page has two e-mail fields: this error is the invitation's.
            errors: errors
                .into_iter()
                .map(|e| FieldError {
                    field: if e.field == "email" {
                        "invite_email"
                    } else {
                        e.field
                    },
                    code: e.code,
                })
                .collect(),
            invite_email: form.email,
            ..Extras::default()
        },
        Err(other) => return Err(other.into()),
    };
    recipient_page(&state, tr, &member, &recipient, extras).await
}

/// `POST /admin/recipients/{recipient}/portal-accounts/{account}/disable`
pub async fn disable_account(
    State(state): State<AppState>,
    member: Member,
    Path((recipient, account)): Path<(String, String)>,
) -> Result<Response, AppError> {
    portal::set_disabled(state.ctx(), &member.session.actor, &account, true).await?;
    Ok(back(&recipient, "portal-account-disabled"))
}

/// `POST /admin/recipients/{recipient}/portal-accounts/{account}/enable`
pub async fn enable_account(
    State(state): State<AppState>,
    member: Member,
    Path((recipient, account)): Path<(String, String)>,
) -> Result<Response, AppError> {
    portal::set_disabled(state.ctx(), &member.session.actor, &account, false).await?;
    Ok(back(&recipient, "portal-account-enabled"))
}

framed!(RecipientsPage, RecipientPage);
