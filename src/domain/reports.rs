//! Reports: intake seals everything the reporter wrote to the organisation's
//! public key, so reports arrive safely while nobody is signed in.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::questionnaire::{self, Answers};
use super::time::reporter_time;
pub use super::uploads::{AttachmentMetadata, NewAttachment};
pub use super::values::{CATEGORIES, Category, LANGUAGES, Language};
use super::values::{CountryCode, Email};
use super::{Context, DomainError, DomainResult, blocking, key_bindings, receipts, uploads};
use crate::storage::attachments;
use crate::storage::reports::{self, ReportRow};
use crate::storage::{Database, FileStore, StorageError, new_id, now_millis, organisations};
use crate::vault::{InstanceKey, SecretKey};

/// The status of a report that has just arrived.
pub const STATUS_NEW: &str = "new";

/// What the reporter wrote; sealed as one JSON document.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ReportContent {
    pub answers: Answers,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// When the report arrived, to the millisecond: sealed, since the row
    /// keeps only the hour (see `time::reporter_time`). Set by Ward, never by the
    /// sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<i64>,
}

/// How the reporter may be reached, if they choose to leave a way.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Whether the reporter agrees that the authorities may contact them too
    /// (the hotline itself may use any contact details left).
    #[serde(default)]
    pub may_contact: bool,
}

impl Contact {
    /// Cleans the contact details; none at all means an anonymous report.
    pub fn parse(
        email: Option<&str>,
        phone: Option<&str>,
        may_contact: bool,
    ) -> DomainResult<Option<Self>> {
        let email = match email.map(str::trim).filter(|e| !e.is_empty()) {
            Some(e) => Some(
                Email::parse(e)
                    .map_err(|_| DomainError::invalid("contact_email", "invalid-email"))?
                    .to_string(),
            ),
            None => None,
        };
        let phone = match phone.map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) if is_phone(p) => Some(p.to_string()),
            Some(_) => return Err(DomainError::invalid("contact_phone", "invalid-phone")),
            None => None,
        };
        Ok((email.is_some() || phone.is_some()).then_some(Contact {
            email,
            phone,
            may_contact,
        }))
    }
}

fn is_phone(p: &str) -> bool {
    let digits = p.chars().filter(char::is_ascii_digit).count();
    p.len() <= 40
        && (6..=20).contains(&digits)
        && p.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

pub struct NewReport {
    pub category: Category,
    /// Where it happened.
    pub country: CountryCode,
    /// Where the reporter is, if they said: it routes the report, and is not stored.
    pub reporter_country: Option<CountryCode>,
    pub language: Language,
    pub content: ReportContent,
    pub attachments: Vec<NewAttachment>,
    /// The form's own id (`Draft::submission`): a second post of the same
    /// form is refused as [`DomainError::AlreadySent`] instead of making a
    /// second report. `None` from the API.
    pub submission: Option<String>,
}

/// A report as an analyst with the organisation's key reads it.
pub struct OpenedReport {
    pub row: ReportRow,
    pub content: ReportContent,
    pub attachments: Vec<(AttachmentMetadata, Zeroizing<Vec<u8>>)>,
}

/// A stored report: the receipt code (given once, never stored) and where it went.
pub struct Submitted {
    pub receipt: Zeroizing<String>,
    pub organisation_id: String,
    pub report_id: String,
}

/// Seals and stores a report for the organisation that the routing rules
/// choose (`network::route`); returns its receipt code, which is not stored.
pub async fn submit(ctx: Context<'_>, report: NewReport) -> DomainResult<Submitted> {
    let organisation = super::network::route(
        ctx.db,
        report.country.as_str(),
        report.reporter_country.as_ref().map(CountryCode::as_str),
    )
    .await?;
    submit_for(ctx.db, ctx.files, ctx.key, organisation, report).await
}

/// Seals and stores a report for one organisation of the instance.
///
/// Attachments are written to the file store first and the rows committed
/// after, so a committed report never points at a missing file; if the
/// transaction fails the files are removed again.
pub async fn submit_for(
    db: &Database,
    files: &FileStore,
    key: &InstanceKey,
    organisation: organisations::OrganisationRow,
    report: NewReport,
) -> DomainResult<Submitted> {
    let mut report = report;
    // A form sent again (a reload of the receipt page, Back then Send, a
    // double click) is found before any work; two posts at once are told
    // apart by the unique index when the rows are committed.
    let submission_hash = report
        .submission
        .as_deref()
        .map(|id| key.token_hash(&format!("submission:{id}")));
    if let Some(hash) = &submission_hash
        && reports::is_submitted(db, hash).await?
    {
        return Err(DomainError::AlreadySent);
    }
    // The same rules for every way in (form, API): the category's questionnaire decides.
    let questionnaire = questionnaire::for_category(&report.category.0)
        .ok_or_else(|| DomainError::invalid("category", "invalid-category"))?;
    report.content.answers = questionnaire.validate(&report.content.answers)?;
    let recipient = key_bindings::organisation_key(db, key, &organisation).await?;
    let now = now_millis();
    let clear_time = reporter_time(now);
    let id = new_id();
    // Files first (a refused one costs no key derivation): type by content,
    // metadata removed, sealed into the file store one at a time, before
    // the rows that name them are committed.
    let written = uploads::store_all(
        files,
        &recipient,
        (&organisation.id, &id, None),
        std::mem::take(&mut report.attachments),
        clear_time,
    )
    .await?;
    report.content.received_at = Some(now);
    // A form's code comes from its own id, so the same form sent again is
    // shown the same code (`receipts::for_submission`); the API's are random.
    let receipt = match &report.submission {
        Some(submission) => receipts::for_submission(key, submission),
        None => receipts::generate(),
    };
    let Ok(content) = serde_json::to_vec(&report.content).map(Zeroizing::new) else {
        written.remove().await;
        return Err(DomainError::invalid("answers", "invalid-report"));
    };
    let (receipt_hash, sealed_content, reporter_key) = {
        let key = key.clone();
        let receipt = receipt.clone();
        blocking(move || {
            // One Argon2id run gives the stored hash and the key that seals the
            // reporter's own key pair, opened later by the receipt code alone.
            let keys = receipts::derive_new(&key, &receipt);
            let reporter = SecretKey::generate();
            let sealed_reporter = keys.seal_key.seal(reporter.to_secret_text().as_bytes());
            (
                keys.lookup_hash,
                recipient.seal(&content),
                (reporter.public_key().to_string(), sealed_reporter),
            )
        })
        .await
    };
    let (reporter_public_key, reporter_sealed_key) = reporter_key;
    let reporter_public_key =
        key_bindings::reporter_key_with_binding(key, &id, &reporter_public_key);
    let row = ReportRow {
        id,
        organisation_id: organisation.id.clone(),
        receipt_hash,
        category: report.category.0,
        country: report.country.as_str().to_string(),
        language: report.language.0,
        status: STATUS_NEW.to_string(),
        sealed_content,
        created_at: clear_time,
        reporter_public_key: Some(reporter_public_key),
        reporter_sealed_key: Some(reporter_sealed_key),
        submission_hash,
    };
    // Committed with the reports that arrive meanwhile (group commit): once
    // handed over, the row is committed even if this request is dropped.
    let (id, organisation_id) = (row.id.clone(), row.organisation_id.clone());
    let attachment_rows = written.keep();
    if let Err(e) = db.intake().insert(row, attachment_rows.clone()).await {
        uploads::remove_objects(files, &attachment_rows).await;
        return Err(match e {
            // Report ids are random: only the submission can be taken already.
            StorageError::Conflict => DomainError::AlreadySent,
            other => other.into(),
        });
    }
    Ok(Submitted {
        receipt,
        organisation_id,
        report_id: id,
    })
}

/// Opens a report of the organisation with the organisation's key.
pub async fn open(
    db: &Database,
    files: &FileStore,
    organisation_id: &str,
    org_key: &SecretKey,
    report_id: &str,
) -> DomainResult<OpenedReport> {
    let row = reports::get(db, organisation_id, report_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let content = org_key.open(&row.sealed_content)?;
    let content: ReportContent = serde_json::from_slice(&content)
        .map_err(|_| DomainError::Vault(crate::vault::VaultError::Corrupt))?;
    let mut opened = Vec::new();
    for a in attachments::for_report(db, organisation_id, report_id).await? {
        let metadata = org_key.open(&a.sealed_metadata)?;
        let metadata: AttachmentMetadata = serde_json::from_slice(&metadata)
            .map_err(|_| DomainError::Vault(crate::vault::VaultError::Corrupt))?;
        let bytes = org_key.open(&files.get(&a.object_key).await?)?;
        opened.push((metadata, bytes));
    }
    Ok(OpenedReport {
        row,
        content,
        attachments: opened,
    })
}

/// Finds a report by its receipt code (for the reporter's follow-up).
pub async fn find_by_receipt(
    db: &Database,
    key: &InstanceKey,
    receipt: &str,
) -> DomainResult<Option<ReportRow>> {
    let Some(code) = receipts::normalise(receipt) else {
        return Ok(None);
    };
    Ok(find_with_keys(db, key, code)
        .await?
        .map(|(report, _)| report))
}

/// Most reports one locator may name: collisions are rare (one in a
/// hundred at a million reports), and the bound keeps a planted crowd of
/// rows from making a look-up slow.
const MOST_CANDIDATES: i64 = 16;

/// The report of a (normalised) receipt code and the code's keys, under
/// the scheme of the code's length. A wrong code costs what a right one
/// does: one Argon2id run per candidate of its locator (at least one) for
/// a current code, every legacy scheme for an older one.
pub(crate) async fn find_with_keys(
    db: &Database,
    key: &InstanceKey,
    code: Zeroizing<String>,
) -> DomainResult<Option<(ReportRow, receipts::ReceiptKeys)>> {
    if code.len() == receipts::DIGITS {
        let (from, to) = receipts::locator_range(&code);
        let candidates = reports::with_receipt_between(db, &from, &to, MOST_CANDIDATES).await?;
        let key = key.clone();
        return Ok(blocking(move || {
            if candidates.is_empty() {
                receipts::waste(&key, &code);
            }
            let mut found = None;
            for row in candidates {
                if let Some(keys) = receipts::check_v3(&key, &code, &row.receipt_hash) {
                    found = Some((row, keys));
                }
            }
            found
        })
        .await);
    }
    let mut found = None;
    for scheme in receipts::Scheme::LEGACY {
        let (key, code) = (key.clone(), code.clone());
        let keys = blocking(move || receipts::derive_with(scheme, &key, &code)).await;
        let report = reports::find_by_receipt(db, &keys.lookup_hash).await?;
        if let (None, Some(report)) = (&found, report) {
            found = Some((report, keys));
        }
    }
    Ok(found)
}
