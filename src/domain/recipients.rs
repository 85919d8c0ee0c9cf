//! Authorities and partners outside the instance, each organisation its
//! own: police units, prosecutors' offices, foreign hotlines, liaison points
//! (Europol, Interpol), platforms that take content down. Each has its
//! delivery channels (an e-mail address with its OpenPGP key, portal
//! accounts, or delivery by hand) and the rules that suggest it for the
//! cases of a country and category.

use super::actor::{Actor, Permission};
use super::audit::{Action, Entry};
use super::change::Change;
use super::key_bindings::{self, Owner};
use super::reports::CATEGORIES;
use super::values::{CountryCode, Email};
use super::{Context, DomainError, DomainResult};
use crate::storage::recipients::{self, RecipientRow};
use crate::storage::{new_id, now_millis};

crate::code_enum! {
    /// What kind of body a recipient is.
    Kind {
        Police = "police",
        Prosecutor = "prosecutor",
        Hotline = "hotline",
        Liaison = "liaison",
        Platform = "platform",
        Other = "other",
    }
}

/// A recipient as an administrator types it.
#[derive(Clone, Debug, Default)]
pub struct RecipientInput {
    pub name: String,
    pub country: String,
    pub kind: String,
    pub email: String,
    pub openpgp_key: String,
    pub notes: String,
}

/// A recipient as the back office shows it.
pub struct Recipient {
    pub id: String,
    pub name: String,
    pub country: String,
    /// One of [`Kind`]'s codes.
    pub kind: String,
    pub email: Option<String>,
    pub openpgp_key: Option<String>,
    pub notes: Option<String>,
    pub disabled: bool,
}

impl From<RecipientRow> for Recipient {
    fn from(row: RecipientRow) -> Self {
        Self {
            id: row.id,
            name: row.name,
            country: row.country,
            kind: row.kind,
            email: row.email,
            openpgp_key: row.openpgp_key,
            notes: row.notes,
            disabled: row.disabled != 0,
        }
    }
}

/// The organisation's recipients (everyone who prepares referrals reads them).
pub async fn list(ctx: Context<'_>, actor: &Actor) -> DomainResult<Vec<Recipient>> {
    actor.require(Permission::ReadReports)?;
    Ok(recipients::all(ctx.db, &actor.organisation_id)
        .await?
        .into_iter()
        .map(Recipient::from)
        .collect())
}

/// One recipient of the organisation; another organisation's is not found.
pub async fn get(ctx: Context<'_>, actor: &Actor, id: &str) -> DomainResult<Recipient> {
    row(ctx, actor, id).await.map(Recipient::from)
}

/// The stored row of one recipient of the organisation.
async fn row(ctx: Context<'_>, actor: &Actor, id: &str) -> DomainResult<RecipientRow> {
    actor.require(Permission::ReadReports)?;
    recipients::get(ctx.db, &actor.organisation_id, id)
        .await?
        .ok_or(DomainError::NotFound)
}

/// A recipient's fields once checked.
struct Checked {
    name: String,
    country: CountryCode,
    kind: Kind,
    email: Option<String>,
    openpgp_key: Option<String>,
    notes: Option<String>,
}

fn parse(input: &RecipientInput) -> DomainResult<Checked> {
    let mut errors = Vec::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        errors.push(DomainError::invalid("name", "invalid-recipient-name"));
    }
    let country = CountryCode::parse(&input.country)
        .map_err(|e| errors.push(e))
        .ok();
    let kind = Kind::parse(input.kind.trim());
    if kind.is_none() {
        errors.push(DomainError::invalid("kind", "invalid-option"));
    }
    let email = match input.email.trim() {
        "" => None,
        e => Email::parse(e)
            .map(|e| e.to_string())
            .map_err(|e| errors.push(e))
            .ok(),
    };
    let key = match input.openpgp_key.trim() {
        "" => None,
        k => match super::referrals::openpgp::check_recipient_key(k) {
            Ok(()) => Some(k.to_string()),
            Err(e) => {
                errors.push(e);
                None
            }
        },
    };
    if key.is_some() && email.is_none() {
        errors.push(DomainError::invalid("email", "invalid-key-without-email"));
    }
    let notes = Some(input.notes.trim().to_string()).filter(|n| !n.is_empty());
    if notes.as_ref().is_some_and(|n| n.chars().count() > 5_000) {
        errors.push(DomainError::invalid("notes", "invalid-answer-too-long"));
    }
    if let Some(error) = DomainError::collect(errors) {
        return Err(error);
    }
    Ok(Checked {
        name: name.to_string(),
        country: country.expect("checked"),
        kind: kind.expect("checked"),
        email,
        openpgp_key: key,
        notes,
    })
}

/// Adds a recipient (`id` none) or changes one.
pub async fn save(
    ctx: Context<'_>,
    actor: &Actor,
    id: Option<&str>,
    input: &RecipientInput,
) -> DomainResult<String> {
    actor.require(Permission::ManageDirectory)?;
    let existing = match id {
        Some(id) => Some(row(ctx, actor, id).await?),
        None => None,
    };
    let checked = parse(input)?;
    let row = RecipientRow {
        id: existing.as_ref().map_or_else(new_id, |r| r.id.clone()),
        organisation_id: actor.organisation_id.clone(),
        name: checked.name,
        country: checked.country.as_str().to_string(),
        kind: checked.kind.as_str().to_string(),
        email: checked.email,
        openpgp_key: checked.openpgp_key,
        notes: checked.notes,
        disabled: existing.as_ref().map_or(0, |r| r.disabled),
        created_at: existing.as_ref().map_or_else(now_millis, |r| r.created_at),
    };
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    recipients::save(&mut tx, &row).await?;
    if let Some(certificate) = &row.openpgp_key {
        key_bindings::bind(&mut tx, ctx.key, Owner::Recipient, &row.id, certificate).await?;
    }
    let entry = Entry::by(actor, Action::RecipientChanged, "recipient", &row.id).with_detail(
        if existing.is_some() {
            format!("changed: {}", row.name)
        } else {
            format!("added: {}", row.name)
        },
    );
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(row.id)
}

/// Stops offering a recipient for new referrals, or offers it again.
pub async fn set_disabled(
    ctx: Context<'_>,
    actor: &Actor,
    id: &str,
    disabled: bool,
) -> DomainResult<()> {
    actor.require(Permission::ManageDirectory)?;
    let mut row = self::row(ctx, actor, id).await?;
    row.disabled = i64::from(disabled);
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    recipients::save(&mut tx, &row).await?;
    let entry = Entry::by(actor, Action::RecipientChanged, "recipient", &row.id)
        .with_detail(if disabled { "disabled" } else { "enabled" });
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

/// Suggests a recipient for the cases of a country (and a category, or any).
pub async fn add_rule(
    ctx: Context<'_>,
    actor: &Actor,
    id: &str,
    country: &str,
    category: &str,
) -> DomainResult<()> {
    actor.require(Permission::ManageDirectory)?;
    let row = self::row(ctx, actor, id).await?;
    let country = CountryCode::parse(country)?;
    let category = category.trim();
    if !category.is_empty() && !CATEGORIES.contains(&category) {
        return Err(DomainError::invalid("category", "invalid-category"));
    }
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    recipients::add_rule(
        &mut tx,
        &actor.organisation_id,
        &row.id,
        country.as_str(),
        category,
    )
    .await?;
    let entry = Entry::by(actor, Action::RecipientChanged, "recipient", &row.id)
        .with_detail(format!("suggested for {} {}", country.as_str(), category));
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn remove_rule(
    ctx: Context<'_>,
    actor: &Actor,
    id: &str,
    country: &str,
    category: &str,
) -> DomainResult<()> {
    actor.require(Permission::ManageDirectory)?;
    let row = self::row(ctx, actor, id).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    recipients::remove_rule(
        &mut tx,
        &actor.organisation_id,
        &row.id,
        country.trim(),
        category.trim(),
    )
    .await?;
    let entry =
        Entry::by(actor, Action::RecipientChanged, "recipient", &row.id).with_detail(format!(
            "no longer suggested for {} {}",
            country.trim(),
            category.trim()
        ));
    tx.record(entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The organisation's rules: (recipient id, country, category).
pub async fn rules(ctx: Context<'_>, actor: &Actor) -> DomainResult<Vec<(String, String, String)>> {
    actor.require(Permission::ReadReports)?;
    Ok(recipients::rules(ctx.db, &actor.organisation_id).await?)
}

/// The recipients competent for a case of this country and category.
pub async fn suggested(
    ctx: Context<'_>,
    actor: &Actor,
    country: &str,
    category: &str,
) -> DomainResult<Vec<String>> {
    actor.require(Permission::ReadReports)?;
    Ok(recipients::suggested(ctx.db, &actor.organisation_id, country, category).await?)
}
