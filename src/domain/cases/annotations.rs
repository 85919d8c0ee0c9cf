//! What analysts add to a case: labels, internal notes (sealed, never shown
//! to the reporter) and links to duplicate or related reports.

use super::find_by_reference;
use super::{check_text, find};
use crate::domain::actor::{Actor, Permission};
use crate::domain::audit::{Action, Entry};
use crate::domain::change::Change;
use crate::domain::{Context, DomainError, DomainResult};
use crate::storage::labels::{self, LabelRow};
use crate::storage::notes::{self, NoteRow};
use crate::storage::{links, new_id, now_millis, organisations};
use crate::vault::PublicKey;

/// The longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 40;
/// The longest internal note, in characters.
pub const MAX_NOTE_CHARS: usize = 20_000;

/// A label's name: trimmed, 1 to 40 characters, no control characters.
pub fn label_name(input: &str) -> DomainResult<String> {
    let name = input.trim();
    if name.is_empty()
        || name.chars().count() > MAX_LABEL_CHARS
        || name.chars().any(char::is_control)
    {
        return Err(DomainError::invalid("label", "invalid-label"));
    }
    Ok(name.to_string())
}

/// Puts a label on a case, creating the label when the organisation has none of that name.
pub async fn add_label(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    name: &str,
) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let name = label_name(name)?;
    let case = find(ctx, actor, report_id).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    add_label_in(&mut tx, ctx, actor, &case.id, &name).await?;
    tx.commit_if_recorded().await
}

pub(crate) async fn add_label_in(
    tx: &mut Change<'_>,
    _ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    name: &str,
) -> DomainResult<()> {
    let org = &actor.organisation_id;
    let label = match labels::find(tx, org, name).await? {
        Some(label) => label,
        None => {
            let label = LabelRow {
                id: new_id(),
                name: name.to_string(),
            };
            labels::insert(tx, org, &label, now_millis()).await?;
            label
        }
    };
    if labels::attach(tx, org, report_id, &label.id).await? {
        let entry = Entry::by(actor, Action::LabelAdded, "report", report_id).with_detail(name);
        tx.record(entry).await?;
    }
    Ok(())
}

/// Takes a label off a case.
pub async fn remove_label(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    label_id: &str,
) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let case = find(ctx, actor, report_id).await?;
    let label = labels::get(ctx.db, &actor.organisation_id, label_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    if labels::detach(&mut tx, &case.id, &label.id).await? {
        let entry =
            Entry::by(actor, Action::LabelRemoved, "report", &case.id).with_detail(label.name);
        tx.record(entry).await?;
    }
    tx.commit_if_recorded().await
}

/// Adds an internal note, sealed to the organisation.
pub async fn add_note(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    text: &str,
) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let text = check_text(text, "note", MAX_NOTE_CHARS)?;
    let case = find(ctx, actor, report_id).await?;
    let recipient = organisation_key(ctx, &actor.organisation_id).await?;
    let note = NoteRow {
        id: new_id(),
        organisation_id: actor.organisation_id.clone(),
        report_id: case.id.clone(),
        author_user_id: actor.user_id.clone(),
        sealed_body: recipient.seal(text.as_bytes()),
        created_at: now_millis(),
    };
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    notes::insert(&mut tx, &note).await?;
    let entry = Entry::by(actor, Action::NoteAdded, "report", &case.id);
    tx.record(entry).await?;
    tx.commit().await
}

/// The organisation's public key, to seal what its members write.
pub(crate) async fn organisation_key(
    ctx: Context<'_>,
    organisation_id: &str,
) -> DomainResult<PublicKey> {
    let organisation = organisations::get(ctx.db, organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    crate::domain::key_bindings::organisation_key(ctx.db, ctx.key, &organisation).await
}

/// Links a case to another report of the organisation, named by its reference.
pub async fn add_link(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    reference: &str,
    kind: &str,
) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let kind = match kind {
        "duplicate" | "related" => kind,
        _ => return Err(DomainError::invalid("kind", "invalid-option")),
    };
    let case = find(ctx, actor, report_id).await?;
    let other = find_by_reference(ctx, actor, reference, &case.id).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    link_in(&mut tx, ctx, actor, &case.id, &other, kind).await?;
    tx.commit_if_recorded().await
}

pub(crate) async fn link_in(
    tx: &mut Change<'_>,
    _ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    other_id: &str,
    kind: &str,
) -> DomainResult<()> {
    let org = &actor.organisation_id;
    if links::insert(
        tx,
        org,
        report_id,
        other_id,
        kind,
        &actor.user_id,
        now_millis(),
    )
    .await?
    {
        for (a, b) in [(report_id, other_id), (other_id, report_id)] {
            let entry = Entry::by(actor, Action::LinkAdded, "report", a)
                .with_detail(format!("{kind}: {}", super::reference(b)));
            tx.record(entry).await?;
        }
    }
    Ok(())
}

/// Removes the link between a case and another report.
pub async fn remove_link(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    other_id: &str,
) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let case = find(ctx, actor, report_id).await?;
    let other = find(ctx, actor, other_id).await?;
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    if links::delete(&mut tx, &actor.organisation_id, &case.id, &other.id).await? {
        for (a, b) in [(&case.id, &other.id), (&other.id, &case.id)] {
            let entry =
                Entry::by(actor, Action::LinkRemoved, "report", a).with_detail(super::reference(b));
            tx.record(entry).await?;
        }
    }
    tx.commit_if_recorded().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_names() {
        assert_eq!(label_name("  needs review ").unwrap(), "needs review");
        assert!(label_name("").is_err());
        assert!(label_name(&"x".repeat(41)).is_err());
        assert!(label_name("a\u{7}b").is_err());
    }
}
