//! `GET /admin/audit`: the organisation's audit log for its administrators,
//! with filters by member, action, object and dates.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::page::{Choice, Frame, choices, framed};
use super::session::Member;
use crate::domain::audit::AuditFilter;
use crate::domain::audit::{self, Action};
use crate::domain::inbox::parse_day;
use crate::domain::{FieldError, inbox};
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::public::followup::format_date;
use crate::web::templates::{Tr, render};

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub struct AuditQuery {
    actor: String,
    action: String,
    object: String,
    from: String,
    until: String,
    before: String,
}

impl AuditQuery {
    fn href(&self, before: &str) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("actor", &self.actor),
            ("action", &self.action),
            ("object", &self.object),
            ("from", &self.from),
            ("until", &self.until),
        ] {
            if !value.is_empty() {
                query.append_pair(name, value);
            }
        }
        if !before.is_empty() {
            query.append_pair("before", before);
        }
        format!("/admin/audit?{}", query.finish())
    }

    /// The storage filter; dates and the page cursor must parse.
    fn filter(&self) -> Result<AuditFilter, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut day = |field: &'static str, value: &str| {
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            let parsed = parse_day(value);
            if parsed.is_none() {
                errors.push(FieldError {
                    field,
                    code: "invalid-date",
                });
            }
            parsed
        };
        let from = day("from", &self.from);
        let until = day("until", &self.until).map(|d| d + 86_400_000);
        let text = |v: &str| Some(v.trim().to_string()).filter(|v| !v.is_empty());
        let filter = AuditFilter {
            actor_user_id: text(&self.actor),
            action: text(&self.action),
            object_id: text(&self.object),
            from,
            until,
            before_seq: self.before.trim().parse().ok(),
        };
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }
}

pub struct EntryView {
    pub seq: i64,
    pub time: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub object_href: Option<String>,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "backoffice/audit.html")]
pub struct AuditPage {
    pub frame: Frame,
    pub entries: Vec<EntryView>,
    pub actors: Vec<Choice>,
    pub actions: Vec<Choice>,
    pub object: String,
    pub from: String,
    pub until: String,
    pub next_href: Option<String>,
    pub first_href: Option<String>,
}

/// `GET /admin/audit`
pub async fn get(
    State(state): State<AppState>,
    tr: Tr,
    member: Member,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let actor = &member.session.actor;
    let (entries, next, errors) = match query.filter() {
        Ok(filter) => {
            let page = audit::list(state.ctx(), actor, filter).await?;
            (page.items, page.next, Vec::new())
        }
        Err(errors) => {
            // The permission still comes first.
            actor.require(crate::domain::actor::Permission::ReadAuditLog)?;
            (Vec::new(), None, errors)
        }
    };
    let members = inbox::members(state.ctx(), actor).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AuditPage {
        frame: Frame::member(tr, &member, "audit").with_errors(errors),
        entries: entries
            .into_iter()
            .map(|e| EntryView {
                seq: e.seq,
                time: format_time(e.at),
                actor: e.actor,
                action: Action::parse(&e.action)
                    .map_or(e.action.clone(), |a| tr.t(&format!("audit-{}", a.as_str()))),
                object_href: match (e.object_type.as_deref(), &e.object_id) {
                    (Some("report"), Some(id)) => Some(format!("/admin/reports/{id}")),
                    _ => None,
                },
                object: match (e.object_type.as_deref(), &e.object_id) {
                    (Some("report"), Some(id)) => {
                        format!(
                            "{} {}",
                            tr.t("audit-object-report"),
                            crate::domain::cases::reference(id)
                        )
                    }
                    (Some(kind), Some(id)) => format!("{kind} {id}"),
                    _ => String::new(),
                },
                detail: e.detail.unwrap_or_default(),
            })
            .collect(),
        actors: choices(members, &query.actor),
        actions: choices(
            Action::ALL
                .iter()
                .map(|a| (a.as_str(), tr.t(&format!("audit-{}", a.as_str())))),
            &query.action,
        ),
        object: query.object.clone(),
        from: query.from.clone(),
        until: query.until.clone(),
        next_href: next.map(|seq| query.href(&seq)),
        first_href: (!query.before.is_empty()).then(|| query.href("")),
    };
    Ok((status, render(&page)).into_response())
}

/// `YYYY-MM-DD HH:MM:SS UTC` from milliseconds since the epoch.
pub fn format_time(millis: i64) -> String {
    let seconds = millis.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        format_date(millis),
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn times() {
        assert_eq!(super::format_time(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(
            super::format_time(1_795_487_497_206),
            "2026-11-24 02:31:37 UTC"
        );
    }
}

framed!(AuditPage);
