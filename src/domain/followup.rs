//! The reporter's follow-up: with the receipt code alone, see the report's
//! status in plain words, read the hotline's messages and send more
//! information or files.
//!
//! Messages are sealed to the organisation and to the reporter's own key,
//! whose private half is sealed under the receipt code (see `reports::submit`).

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::audit::{self, Action, Entry};
use super::cases::codes::Status;
use super::recipients::Kind;
use super::reports::NewAttachment;
use super::time::reporter_time;
use super::{Context, DomainError, DomainResult, blocking, receipts, uploads};
use crate::storage::attachments::{self, AttachmentRow};
use crate::storage::cases;
use crate::storage::messages::{self, MessageRow};
use crate::storage::reports::{self, ReportRow};
use crate::storage::{Database, new_id, now_millis, organisations};
use crate::storage::{recipients, referrals};
use crate::vault::{InstanceKey, PublicKey, SecretKey, seal_for_all};

/// The longest message, in characters.
pub const MAX_MESSAGE_CHARS: usize = 20_000;

/// A report as its reporter sees it.
pub struct ReporterView {
    /// Where the report stands; the reporter sees it in plain words
    /// ([`status_message_id`]).
    pub status: Status,
    /// The category the reporter chose (not the analysts' assessment).
    pub category: String,
    /// When the report arrived (to the hour: see `time::reporter_time`).
    pub received_at: i64,
    /// Whether, and when first, the report was passed on.
    pub passed_on: Option<PassedOn>,
    pub messages: Vec<Message>,
}

/// A referral that went: the reporter is told, in plain words, to whom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PassedOn {
    pub to_authorities: bool,
    pub at: i64,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Message {
    /// `reporter` or `analyst`.
    pub author: String,
    pub body: String,
    pub created_at: i64,
    /// Names of the files that came with it.
    #[serde(default)]
    pub files: Vec<String>,
}

/// The plain-language status the reporter sees, as a message id.
pub fn status_message_id(status: Status) -> &'static str {
    match status {
        Status::New => "status-received",
        Status::InAssessment => "status-assessing",
        Status::WaitingForReporter => "status-waiting",
        Status::Forwarded => "status-forwarded",
        Status::Closed => "status-closed",
    }
}

/// Opens the reporter's view of a report; `None` when the code matches nothing.
pub async fn open(ctx: Context<'_>, receipt: &str) -> DomainResult<Option<ReporterView>> {
    let (db, key) = (ctx.db, ctx.key);
    let Some(code) = receipts::normalise(receipt) else {
        return Ok(None);
    };
    let Some((report, reporter_key)) = find(db, key, code).await? else {
        return Ok(None);
    };
    let mut opened = Vec::new();
    for row in messages::for_report(db, &report.organisation_id, &report.id).await? {
        let Some(key) = &reporter_key else { break };
        opened.push(open_message(key, row)?);
    }
    in_order(&mut opened);
    let category = cases::get(db, &report.organisation_id, &report.id)
        .await?
        .and_then(|case| case.reported_category)
        .unwrap_or_else(|| report.category.clone());
    Ok(Some(ReporterView {
        // Only Ward writes the column, from `Status`.
        status: Status::parse(&report.status).unwrap_or(Status::New),
        category,
        received_at: report.created_at,
        passed_on: passed_on(db, &report).await?,
        messages: opened,
    }))
}

/// The first referral of the report that was sent, if any: to the police,
/// a prosecutor or a liaison officer ("the authorities"), or to another
/// body (a partner hotline, a platform).
async fn passed_on(db: &Database, report: &ReportRow) -> DomainResult<Option<PassedOn>> {
    let sent = referrals::for_report(db, &report.organisation_id, &report.id)
        .await?
        .into_iter()
        .filter_map(|r| r.sent_at.map(|at| (at, r.recipient_id)))
        .min();
    let Some((at, recipient_id)) = sent else {
        return Ok(None);
    };
    let kind = recipients::get(db, &report.organisation_id, &recipient_id)
        .await?
        .map(|r| r.kind)
        .unwrap_or_default();
    let to_authorities = matches!(
        Kind::parse(&kind),
        Some(Kind::Police | Kind::Prosecutor | Kind::Liaison)
    );
    Ok(Some(PassedOn { to_authorities, at }))
}

/// A report's messages as the hotline reads them, with the organisation's key.
pub async fn for_hotline(
    db: &Database,
    org_key: &SecretKey,
    organisation_id: &str,
    report_id: &str,
) -> DomainResult<Vec<Message>> {
    let mut opened = messages::for_report(db, organisation_id, report_id)
        .await?
        .into_iter()
        .map(|row| open_message(org_key, row))
        .collect::<DomainResult<Vec<_>>>()?;
    in_order(&mut opened);
    Ok(opened)
}

/// Opens a message; its time is the exact one sealed inside (the row keeps
/// only the hour of a reporter's message).
fn open_message(key: &SecretKey, row: MessageRow) -> DomainResult<Message> {
    let body = key.open(&row.sealed_body)?;
    let message: Message = serde_json::from_slice(&body)
        .map_err(|_| DomainError::Vault(crate::vault::VaultError::Corrupt))?;
    Ok(Message {
        author: row.author,
        ..message
    })
}

/// Messages in the order they were written (the exact, sealed times).
fn in_order(messages: &mut [Message]) {
    messages.sort_by_key(|m| m.created_at);
}

/// Adds the reporter's message (and files) to a report.
pub async fn add_information(
    ctx: Context<'_>,
    receipt: &str,
    text: &str,
    attachments: Vec<NewAttachment>,
) -> DomainResult<()> {
    let (db, files, key) = (ctx.db, ctx.files, ctx.key);
    let text = check_message(text, !attachments.is_empty())?;
    let code = receipts::normalise(receipt).ok_or(DomainError::NotFound)?;
    let (report, _) = find(db, key, code).await?.ok_or(DomainError::NotFound)?;
    within_report_limits(db, &report, &attachments).await?;
    let (org, reporter) = recipients(db, key, &report).await?;

    let now = now_millis();
    let clear_time = reporter_time(now);
    let message_id = new_id();
    // Files first, one at a time: cleaned, sealed to the organisation, stored.
    let written = uploads::store_all(
        files,
        &org,
        (&report.organisation_id, &report.id, Some(&message_id)),
        attachments,
        clear_time,
    )
    .await?;
    let message = Message {
        author: "reporter".into(),
        body: text.to_string(),
        created_at: now,
        files: written.names(),
    };
    let body = Zeroizing::new(serde_json::to_vec(&message).expect("a message serialises"));
    let sealed_body = blocking(move || {
        let recipients: Vec<&PublicKey> = std::iter::once(&org).chain(reporter.as_ref()).collect();
        seal_for_all(&recipients, &body)
    })
    .await;
    let row = MessageRow {
        id: message_id,
        organisation_id: report.organisation_id.clone(),
        report_id: report.id.clone(),
        author: "reporter".into(),
        author_user_id: None,
        sealed_body,
        created_at: clear_time,
    };
    let stored = written.keep();
    if let Err(e) = insert_reporter_message(db, key, &report, &row, &stored).await {
        uploads::remove_objects(files, &stored).await;
        return Err(e);
    }
    Ok(())
}

/// Stores the reporter's message; the report becomes unread for every
/// member and goes to the top of the inbox, and a case waiting for the
/// reporter goes back to assessment.
async fn insert_reporter_message(
    db: &Database,
    key: &InstanceKey,
    report: &ReportRow,
    row: &MessageRow,
    files: &[AttachmentRow],
) -> DomainResult<()> {
    let mut tx = db.begin_write().await?;
    messages::insert(&mut tx, row).await?;
    for a in files {
        attachments::insert(&mut tx, a).await?;
    }
    cases::mark_unread(&mut tx, &report.id).await?;
    // At the top of the inbox, closed cases included, until a member opens it.
    cases::raise_for_reporter_news(&mut tx, &report.id).await?;
    let (waiting, back) = (Status::WaitingForReporter, Status::InAssessment);
    if report.status == waiting.as_str() {
        cases::set_status(&mut tx, &report.id, back.as_str(), None, row.created_at).await?;
        let entry = Entry {
            organisation_id: Some(&report.organisation_id),
            actor_user_id: None,
            actor: "reporter",
            action: Action::StatusChanged,
            object_type: Some("report"),
            object_id: Some(&report.id),
            detail: Some(format!("{} → {}", waiting.as_str(), back.as_str())),
        };
        audit::append(&mut tx, key, entry).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Most messages a reporter may send on one report in a day: whoever holds
/// a code (or a leaked one) cannot flood a case.
pub const MAX_MESSAGES_PER_DAY: i64 = 30;
/// Most bytes of files one report may hold in all.
pub const MAX_STORED_BYTES_PER_REPORT: i64 = 1024 * 1024 * 1024;

/// Refuses a message over the report's daily count or its room for files.
async fn within_report_limits(
    db: &Database,
    report: &ReportRow,
    attachments: &[NewAttachment],
) -> DomainResult<()> {
    let day_ago = now_millis() - 24 * 3600 * 1000;
    if messages::count_from_reporter_since(db, &report.id, day_ago).await? >= MAX_MESSAGES_PER_DAY {
        return Err(DomainError::invalid("message", "invalid-followup-too-many"));
    }
    let incoming: i64 = attachments.iter().map(|a| a.len() as i64).sum();
    if incoming > 0
        && attachments::stored_bytes(db, &report.id).await? + incoming > MAX_STORED_BYTES_PER_REPORT
    {
        return Err(DomainError::invalid("file", "invalid-followup-too-large"));
    }
    Ok(())
}

/// A message's text, trimmed; empty only when files come with it.
fn check_message(text: &str, has_files: bool) -> DomainResult<&str> {
    let text = text.trim();
    if text.is_empty() && !has_files {
        return Err(DomainError::invalid("message", "invalid-message-empty"));
    }
    if text.chars().count() > MAX_MESSAGE_CHARS {
        return Err(DomainError::invalid("message", "invalid-answer-too-long"));
    }
    Ok(text)
}

/// Who can read a report's messages: the organisation, and the reporter
/// (reports from before follow-up existed have no reporter key).
async fn recipients(
    db: &Database,
    key: &InstanceKey,
    report: &ReportRow,
) -> DomainResult<(PublicKey, Option<PublicKey>)> {
    let organisation = organisations::get(db, &report.organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let org = super::key_bindings::organisation_key(db, key, &organisation).await?;
    let reporter = super::key_bindings::reporter_key(db, key, report).await?;
    Ok((org, reporter))
}

/// The report of a receipt code, and the reporter's key opened with it.
async fn find(
    db: &Database,
    key: &InstanceKey,
    code: Zeroizing<String>,
) -> DomainResult<Option<(ReportRow, Option<SecretKey>)>> {
    let Some((report, keys)) = super::reports::find_with_keys(db, key, code).await? else {
        return Ok(None);
    };
    let reporter_key = match &report.reporter_sealed_key {
        Some(sealed) => {
            let opened = keys.seal_key.open(sealed)?;
            let text = std::str::from_utf8(&opened)
                .map_err(|_| DomainError::Vault(crate::vault::VaultError::Corrupt))?;
            Some(SecretKey::from_secret_text(text)?)
        }
        None => None,
    };
    Ok(Some((report, reporter_key)))
}

/// A message from the hotline to the reporter, sealed to both, so the
/// reporter can read it with the receipt code; ready to insert. Needs no
/// secret key.
pub async fn hotline_message(
    db: &Database,
    key: &InstanceKey,
    organisation_id: &str,
    report_id: &str,
    author_user_id: &str,
    text: &str,
) -> DomainResult<MessageRow> {
    let text = check_message(text, false)?;
    let report = reports::get(db, organisation_id, report_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let (org, reporter) = recipients(db, key, &report).await?;
    let now = now_millis();
    let message = Message {
        author: "analyst".into(),
        body: text.to_string(),
        created_at: now,
        files: Vec::new(),
    };
    let body = Zeroizing::new(serde_json::to_vec(&message).expect("a message serialises"));
    let recipients: Vec<&PublicKey> = std::iter::once(&org).chain(reporter.as_ref()).collect();
    Ok(MessageRow {
        id: new_id(),
        organisation_id: organisation_id.to_string(),
        report_id: report_id.to_string(),
        author: "analyst".into(),
        author_user_id: Some(author_user_id.to_string()),
        sealed_body: seal_for_all(&recipients, &body),
        created_at: now,
    })
}

/// How long the follow-up page stays open after the code was entered.
pub const PASS_LIFETIME_MS: i64 = 30 * 60 * 1000;

#[derive(Serialize, Deserialize)]
struct Pass {
    receipt: String,
    issued_at: i64,
}

fn pass_key(key: &InstanceKey) -> InstanceKey {
    key.derive("follow-up pass")
}

/// A sealed token that carries the receipt code between the follow-up
/// pages, so the code itself never sits in a page, and expires.
pub fn issue_pass(key: &InstanceKey, receipt: &str, now: i64) -> String {
    use base64::Engine;
    let pass = Pass {
        receipt: receipt.to_string(),
        issued_at: now,
    };
    let json = Zeroizing::new(serde_json::to_vec(&pass).expect("a pass serialises"));
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(pass_key(key).seal(&json))
}

/// The receipt code in a pass, if the pass is genuine and fresh.
pub fn open_pass(key: &InstanceKey, pass: &str, now: i64) -> Option<Zeroizing<String>> {
    use base64::Engine;
    let sealed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(pass.trim())
        .ok()?;
    let json = pass_key(key).open(&sealed).ok()?;
    let pass: Pass = serde_json::from_slice(&json).ok()?;
    (now - pass.issued_at <= PASS_LIFETIME_MS && pass.issued_at <= now + 60_000)
        .then(|| Zeroizing::new(pass.receipt))
}
