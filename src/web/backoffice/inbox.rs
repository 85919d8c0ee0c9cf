//! `GET /admin`: the inbox, with filters, sorting and pages; and
//! `POST /admin/reports/bulk`: one action on the reports selected.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::page::{Choice, Frame, choices, coded_choices, framed};
use super::session::Member;
use crate::domain::DomainError;
use crate::domain::cases::codes::{Priority, Status};
use crate::domain::cases::workflow::{self, BulkAction};
use crate::domain::inbox::{self, InboxFilter, InboxItem, Sort};
use crate::domain::reports::{CATEGORIES, LANGUAGES};
use crate::i18n;
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::form::Fields;
use crate::web::public::followup::format_date;
use crate::web::templates::{Tr, render};

/// The query string of the inbox.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    status: String,
    category: String,
    country: String,
    language: String,
    assignee: String,
    priority: String,
    label: String,
    referral: String,
    from: String,
    until: String,
    sort: String,
    after: String,
    notice: String,
}

impl InboxQuery {
    fn filter(&self) -> InboxFilter {
        InboxFilter {
            status: self.status.clone(),
            category: self.category.clone(),
            country: self.country.clone(),
            language: self.language.clone(),
            assignee: self.assignee.clone(),
            priority: self.priority.clone(),
            label: self.label.clone(),
            referral: self.referral.clone(),
            from: self.from.clone(),
            until: self.until.clone(),
            sort: self.sort.clone(),
            after: self.after.clone(),
        }
    }

    /// The query string of these filters, continuing after `after`.
    fn href(&self, after: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("status", &self.status),
            ("category", &self.category),
            ("country", &self.country),
            ("language", &self.language),
            ("assignee", &self.assignee),
            ("priority", &self.priority),
            ("label", &self.label),
            ("referral", &self.referral),
            ("from", &self.from),
            ("until", &self.until),
            ("sort", &self.sort),
        ] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        if !after.is_empty() {
            query.append_pair("after", after);
        }
        format!("/admin?{}", query.finish())
    }

    fn is_filtered(&self) -> bool {
        !self.href("").ends_with('?')
    }
}

pub struct Row {
    pub id: String,
    pub reference: String,
    pub unread: bool,
    pub date: String,
    pub category: String,
    pub country: String,
    pub language: String,
    pub status: String,
    pub is_new: bool,
    pub priority: String,
    pub urgent: bool,
    pub assignee: String,
    pub labels: Vec<String>,
    pub overdue: bool,
    /// The reporter wrote since a member last opened it.
    pub reporter_news: bool,
}

#[derive(Template)]
#[template(path = "backoffice/inbox.html")]
pub struct InboxPage {
    pub frame: Frame,
    pub has_access: bool,
    pub can_assign: bool,
    pub rows: Vec<Row>,
    pub filtered: bool,
    pub next_href: Option<String>,
    pub first_href: Option<String>,
    pub from: String,
    pub until: String,
    pub statuses: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub countries: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub assignees: Vec<Choice>,
    pub priorities: Vec<Choice>,
    pub labels: Vec<Choice>,
    pub referrals: Vec<Choice>,
    pub sorts: Vec<Choice>,
    /// Choices of the bulk form.
    pub members: Vec<Choice>,
    pub open_statuses: Vec<Choice>,
}

/// `GET /admin`
pub async fn get(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Query(query): Query<InboxQuery>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let (page, errors, status) = match inbox::page(state.ctx(), actor, &query.filter()).await {
        Ok(page) => (page, Vec::new(), StatusCode::OK),
        Err(DomainError::Invalid(errors)) => (
            crate::domain::Page {
                items: Vec::new(),
                next: None,
            },
            errors,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(other) => return Err(other.into()),
    };
    let members = inbox::members(state.ctx(), actor).await?;
    let labels = inbox::labels(state.ctx(), actor).await?;
    let notice = matches!(query.notice.as_str(), "bulk-done").then(|| tr.t("notice-bulk-done"));
    let mut assignees = choices(
        [
            ("me", tr.t("inbox-assignee-me")),
            ("nobody", tr.t("inbox-assignee-nobody")),
        ],
        &query.assignee,
    );
    assignees.extend(choices(
        members
            .iter()
            .map(|(id, email)| (id.clone(), email.clone())),
        &query.assignee,
    ));
    let mut priorities = choices([("urgent", tr.t("priority-urgent"))], &query.priority);
    priorities.extend(coded_choices(
        tr,
        &codes(Priority::ALL, |p| p.as_str()),
        "priority-",
        &query.priority,
    ));
    let page_view = InboxPage {
        frame: Frame::member(tr, &member, "inbox")
            .with_errors(errors)
            .with_notice(notice),
        has_access: actor.organisation_key.is_some(),
        can_assign: actor.may(crate::domain::actor::Permission::AssignReports),
        rows: page.items.into_iter().map(|item| row(tr, item)).collect(),
        filtered: query.is_filtered(),
        next_href: page.next.map(|cursor| query.href(&cursor)),
        first_href: (!query.after.is_empty()).then(|| query.href("")),
        from: query.from.clone(),
        until: query.until.clone(),
        statuses: coded_choices(
            tr,
            &codes(Status::ALL, |s| s.as_str()),
            "case-status-",
            &query.status,
        ),
        categories: coded_choices(tr, CATEGORIES, "cat-", &query.category),
        countries: choices(
            i18n::countries_by_name(tr.code()),
            &query.country.to_ascii_uppercase(),
        ),
        languages: choices(
            LANGUAGES.iter().map(|l| (l.to_string(), language_name(l))),
            &query.language,
        ),
        assignees,
        priorities,
        labels: choices(labels.into_iter().map(|l| (l.id, l.name)), &query.label),
        referrals: coded_choices(
            tr,
            &[
                "any",
                "prepared",
                "sent",
                "overdue",
                "acknowledged",
                "outcome",
            ],
            "inbox-referral-",
            &query.referral,
        ),
        sorts: coded_choices(
            tr,
            &codes(Sort::ALL, |s| s.as_str()),
            "inbox-sort-",
            &query.sort,
        ),
        members: choices(members, ""),
        open_statuses: coded_choices(
            tr,
            &codes(&Status::ALL[..Status::ALL.len() - 1], |s| s.as_str()),
            "case-status-",
            "",
        ),
    };
    Ok((status, render(&page_view)).into_response())
}

/// The codes of a code list.
pub fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| code(*v)).collect()
}

/// A language's own name, from its code.
pub fn language_name(code: &str) -> String {
    i18n::language(code).map_or_else(|| code.to_string(), |l| l.native_name.to_string())
}

fn row(tr: Tr, r: InboxItem) -> Row {
    Row {
        reference: r.reference,
        unread: r.unread,
        date: format_date(r.received_at),
        category: tr.t(&format!("cat-{}", r.category)),
        country: i18n::country_name(tr.code(), &r.country),
        language: language_name(&r.language),
        is_new: r.status == Status::New.as_str(),
        status: tr.t(&format!("case-status-{}", r.status)),
        priority: tr.t(&format!("priority-{}", r.priority.as_str())),
        urgent: r.urgent,
        assignee: r.assignee_email.unwrap_or_default(),
        labels: r.labels,
        overdue: r.overdue,
        reporter_news: r.reporter_news,
        id: r.id,
    }
}

/// `POST /admin/reports/bulk`: assign, label or move the reports selected.
pub async fn bulk(
    State(state): State<AppState>,
    member: Member,
    form: Fields,
) -> Result<Response, AppError> {
    let action = match form.text("action") {
        "assign" => {
            BulkAction::Assign(Some(form.text("assignee").to_string()).filter(|a| !a.is_empty()))
        }
        "label" => BulkAction::Label(form.text("label").to_string()),
        "status" => BulkAction::Status(form.text("status").to_string()),
        _ => return Err(DomainError::invalid("action", "invalid-option").into()),
    };
    workflow::bulk(state.ctx(), &member.session.actor, &form.all("ids"), action).await?;
    Ok(Redirect::to("/admin?notice=bulk-done").into_response())
}

framed!(InboxPage);
