//! The inbox: an organisation's reports, new ones first, with filters,
//! sorting and pages that stay fast at a million reports. Nothing sealed is
//! opened here.

use std::collections::{HashMap, HashSet};

use super::actor::{Actor, Permission};
use super::cases::codes::{Priority, Status, reference};
use super::referrals::State as ReferralState;
use super::reports::{CATEGORIES, LANGUAGES};
use super::values::{CountryCode, optional_choice};
use super::{Context, DomainError, DomainResult, Page};
use crate::storage::cases;
use crate::storage::inbox::{self, InboxConditions, InboxOrder, InboxRow, ReferralCondition};
use crate::storage::labels::{self, LabelRow};
use crate::storage::{now_millis, referrals};

/// Reports on one page.
pub const PAGE_SIZE: i64 = 50;

crate::code_enum! {
    /// How the inbox is sorted.
    Sort {
        /// New reports first, then newest first.
        Triage = "triage",
        Newest = "newest",
        Oldest = "oldest",
        Priority = "priority",
    }
}

/// The filters as typed into the inbox's form (empty means "any").
#[derive(Clone, Debug, Default)]
pub struct InboxFilter {
    pub status: String,
    pub category: String,
    pub country: String,
    pub language: String,
    /// A member's id, `me`, or `nobody`.
    pub assignee: String,
    /// `urgent`, or a priority code.
    pub priority: String,
    /// A label's id.
    pub label: String,
    /// `any`, `overdue`, or a referral state.
    pub referral: String,
    /// `YYYY-MM-DD`, inclusive.
    pub from: String,
    pub until: String,
    pub sort: String,
    /// The cursor of the page to show (from the previous page).
    pub after: String,
}

/// A row of the inbox.
pub struct InboxItem {
    pub id: String,
    pub reference: String,
    /// Codes: `cat-<category>`, `case-status-<status>` name them.
    pub category: String,
    pub status: String,
    pub country: String,
    pub language: String,
    pub received_at: i64,
    pub priority: Priority,
    pub urgent: bool,
    pub assignee_email: Option<String>,
    pub labels: Vec<String>,
    /// The member has not opened it since its last news.
    pub unread: bool,
    /// A referral of it waits for an acknowledgement past its due date.
    pub overdue: bool,
    /// Its reporter wrote since a member last opened it.
    pub reporter_news: bool,
}

/// One page of the organisation's inbox, for the member.
pub async fn page(
    ctx: Context<'_>,
    actor: &Actor,
    filter: &InboxFilter,
) -> DomainResult<Page<InboxItem>> {
    actor.require(Permission::ReadReports)?;
    let (conditions, mut order) = parse(actor, filter)?;
    if conditions.status.is_some() && order == InboxOrder::Triage {
        // One status: "new first" is already decided, and the status index gives the order.
        order = InboxOrder::Newest;
    }
    let after = parse_cursor(&filter.after, order)?;
    let after_ref = after.as_ref().map(|(k, id)| (k.as_slice(), id.as_str()));
    let mut rows = inbox::page(
        ctx.db,
        &actor.organisation_id,
        &conditions,
        order,
        after_ref,
        PAGE_SIZE + 1,
    )
    .await?;
    let more = rows.len() as i64 > PAGE_SIZE;
    rows.truncate(PAGE_SIZE as usize);
    let next = more
        .then(|| rows.last().map(|r| cursor(order, r)))
        .flatten();
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let read: HashSet<String> = cases::read_among(ctx.db, &actor.user_id, &ids)
        .await?
        .into_iter()
        .collect();
    let overdue: HashSet<String> =
        referrals::overdue_among(ctx.db, &actor.organisation_id, &ids, now_millis())
            .await?
            .into_iter()
            .collect();
    let mut labels_of: HashMap<String, Vec<String>> = HashMap::new();
    for (report, label) in labels::for_reports(ctx.db, &actor.organisation_id, &ids).await? {
        labels_of.entry(report).or_default().push(label.name);
    }
    let items = rows
        .into_iter()
        .map(|row| InboxItem {
            reference: reference(&row.id),
            labels: labels_of.remove(&row.id).unwrap_or_default(),
            unread: !read.contains(&row.id),
            overdue: overdue.contains(&row.id),
            reporter_news: row.inbox_rank == crate::storage::cases::RANK_REPORTER_NEWS,
            category: row.category,
            status: row.status,
            country: row.country,
            language: row.language,
            received_at: row.created_at,
            priority: Priority::from_level(row.priority),
            urgent: row.urgent != 0,
            assignee_email: row.assignee_email,
            id: row.id,
        })
        .collect();
    Ok(Page { items, next })
}

/// The organisation's active members (id, e-mail), for the assignee filter and form.
pub async fn members(ctx: Context<'_>, actor: &Actor) -> DomainResult<Vec<(String, String)>> {
    actor.require(Permission::ReadReports)?;
    Ok(
        crate::storage::users::members(ctx.db, &actor.organisation_id)
            .await?
            .into_iter()
            .filter(|m| m.disabled == 0)
            .map(|m| (m.id, m.email))
            .collect(),
    )
}

/// The organisation's labels, for the filter and bulk forms.
pub async fn labels(ctx: Context<'_>, actor: &Actor) -> DomainResult<Vec<LabelRow>> {
    actor.require(Permission::ReadReports)?;
    Ok(labels::all(ctx.db, &actor.organisation_id).await?)
}

fn parse(actor: &Actor, f: &InboxFilter) -> DomainResult<(InboxConditions, InboxOrder)> {
    let mut errors = Vec::new();
    let status = optional_choice(&mut errors, "status", &f.status, |v| {
        Status::parse(v).is_some()
    });
    let category = optional_choice(&mut errors, "category", &f.category, |v| {
        CATEGORIES.contains(&v)
    });
    let country = optional_choice(&mut errors, "country", &f.country, |v| {
        CountryCode::parse(v).is_ok()
    })
    .map(|c| c.to_ascii_uppercase());
    let language = optional_choice(&mut errors, "language", &f.language, |v| {
        LANGUAGES.contains(&v)
    });
    let label_id = optional_choice(&mut errors, "label", &f.label, |_| true);
    let referral = optional_choice(&mut errors, "referral", &f.referral, |v| {
        matches!(v, "any" | "overdue") || ReferralState::parse(v).is_some()
    })
    .map(|v| match v.as_str() {
        "any" => ReferralCondition::Any,
        "overdue" => ReferralCondition::OverdueAt(now_millis()),
        state => ReferralCondition::State(state.to_string()),
    });
    let assignee = match f.assignee.trim() {
        "" => None,
        "nobody" => Some(None),
        "me" => Some(Some(actor.user_id.clone())),
        id => Some(Some(id.to_string())),
    };
    let (urgent, priority) = match f.priority.trim() {
        "" => (None, None),
        "urgent" => (Some(true), None),
        p => match Priority::parse(p) {
            Some(p) => (None, Some(p.level())),
            None => {
                errors.push(DomainError::invalid("priority", "invalid-option"));
                (None, None)
            }
        },
    };
    let mut day = |field: &'static str, value: &str| -> Option<i64> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let parsed = parse_day(value);
        if parsed.is_none() {
            errors.push(DomainError::invalid(field, "invalid-date"));
        }
        parsed
    };
    let created_from = day("from", &f.from);
    // "Until" includes the whole day.
    let created_until = day("until", &f.until).map(|start| start + 86_400_000);
    let order = match Sort::parse(f.sort.trim()).unwrap_or(Sort::Triage) {
        Sort::Triage => InboxOrder::Triage,
        Sort::Newest => InboxOrder::Newest,
        Sort::Oldest => InboxOrder::Oldest,
        Sort::Priority => InboxOrder::Priority,
    };
    if let Some(error) = DomainError::collect(errors) {
        return Err(error);
    }
    Ok((
        InboxConditions {
            status,
            category,
            country,
            language,
            assignee,
            urgent,
            priority,
            label_id,
            referral,
            created_from,
            created_until,
        },
        order,
    ))
}

/// Midnight UTC of a `YYYY-MM-DD` date, in milliseconds.
pub fn parse_day(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1970..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days * 86_400_000)
}

/// The cursor after a row: its sort key and id, dot-separated.
fn cursor(order: InboxOrder, row: &InboxRow) -> String {
    let mut parts: Vec<String> = order.key_of(row).iter().map(i64::to_string).collect();
    parts.push(row.id.clone());
    parts.join(".")
}

fn parse_cursor(text: &str, order: InboxOrder) -> DomainResult<Option<(Vec<i64>, String)>> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let invalid = || DomainError::invalid("after", "invalid-option");
    let mut parts: Vec<&str> = text.split('.').collect();
    let id = parts
        .pop()
        .filter(|id| !id.is_empty() && id.len() <= 64)
        .ok_or_else(invalid)?;
    let keys: Vec<i64> = parts
        .iter()
        .map(|p| p.parse::<i64>().map_err(|_| invalid()))
        .collect::<DomainResult<_>>()?;
    let expected = match order {
        InboxOrder::Triage => 2,
        InboxOrder::Newest | InboxOrder::Oldest => 1,
        InboxOrder::Priority => 3,
    };
    if keys.len() != expected {
        return Err(invalid());
    }
    Ok(Some((keys, id.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_utc_midnights() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2000-03-01"), Some(951_868_800_000));
        assert_eq!(parse_day("2026-11-24"), Some(1_795_478_400_000));
        for bad in ["", "2026-13-01", "2026-1", "yesterday", "1969-12-31"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let row = InboxRow {
            id: "3f2a91c2-0b7d-4e5f-8a9b-0c1d2e3f4a5b".into(),
            category: "other".into(),
            country: "LU".into(),
            language: "en".into(),
            status: "new".into(),
            created_at: 1_700_000_000_000,
            inbox_rank: 1,
            priority: 1,
            urgent: 0,
            assignee_email: None,
        };
        for order in [InboxOrder::Triage, InboxOrder::Newest, InboxOrder::Priority] {
            let (keys, id) = parse_cursor(&cursor(order, &row), order).unwrap().unwrap();
            assert_eq!(keys, order.key_of(&row));
            assert_eq!(id, row.id);
        }
        assert!(parse_cursor("1.2", InboxOrder::Priority).is_err());
        assert!(parse_cursor("x.abc", InboxOrder::Newest).is_err());
        assert!(parse_cursor("", InboxOrder::Newest).unwrap().is_none());
    }
}
