//! Every public key Ward encrypts to is bound to its owner.
//!
//! Someone who can write to the database (but holds no key) could replace
//! an organisation's public key with their own and read every report that
//! arrives afterwards, or give a planted member a key of their own. So each
//! key Ward encrypts to (an organisation's, a member's, a portal account's,
//! a recipient's OpenPGP certificate) carries a binding: an HMAC under the
//! instance key (a file, never in the database) over the owner's kind, its
//! id and the key. Ward writes the binding when it sets the key itself, and
//! checks it before sealing anything to the key: a key without a valid
//! binding is refused, nothing is sealed to it, and the refusal is audited.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use super::audit::{self, Action, Entry};
use super::{DomainError, DomainResult};
use crate::storage::{Database, WriteTx, key_bindings};
use crate::vault::{InstanceKey, PublicKey};

/// Whose key it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Owner {
    Organisation,
    Member,
    PortalAccount,
    /// A recipient's OpenPGP certificate.
    Recipient,
    /// The key of a report's reporter, to which the hotline's messages are
    /// sealed; its binding is kept beside it, in the report's row.
    Reporter,
}

impl Owner {
    fn kind(self) -> &'static str {
        match self {
            Owner::Organisation => "organisation",
            Owner::Member => "member",
            Owner::PortalAccount => "portal-account",
            Owner::Recipient => "recipient",
            Owner::Reporter => "reporter",
        }
    }
}

/// The binding of `public_key` to an owner: hex HMAC-SHA256 under a key
/// derived from the instance key.
fn binding(key: &InstanceKey, owner: Owner, owner_id: &str, public_key: &str) -> String {
    let mut data = Vec::new();
    for part in [owner.kind(), owner_id, public_key.trim()] {
        data.extend_from_slice(&(part.len() as u64).to_be_bytes());
        data.extend_from_slice(part.as_bytes());
    }
    hex::encode(key.derive("public key binding v1").mac(&data))
}

/// Records that Ward itself set this owner's key.
pub async fn bind(
    tx: &mut WriteTx,
    key: &InstanceKey,
    owner: Owner,
    owner_id: &str,
    public_key: &str,
) -> DomainResult<()> {
    let mac = binding(key, owner, owner_id, public_key);
    key_bindings::set(tx, owner.kind(), owner_id, &mac).await?;
    Ok(())
}

/// Checks an owner's key before anything is sealed to it. A key without a
/// valid binding is refused (`KeyNotTrusted`) and the refusal audited in
/// `organisation_id`'s log.
pub async fn check(
    db: &Database,
    key: &InstanceKey,
    organisation_id: &str,
    owner: Owner,
    owner_id: &str,
    public_key: &str,
) -> DomainResult<()> {
    let expected = binding(key, owner, owner_id, public_key);
    if verified_before(&expected) {
        return Ok(());
    }
    let recorded = key_bindings::get(db, owner.kind(), owner_id).await?;
    let genuine = recorded.is_some_and(|mac| {
        subtle::ConstantTimeEq::ct_eq(mac.as_bytes(), expected.as_bytes()).into()
    });
    if genuine {
        remember_verified(expected);
        return Ok(());
    }
    refuse(db, key, organisation_id, owner, owner_id, public_key).await
}

/// Audits a key that was not set by Ward, and refuses it.
async fn refuse(
    db: &Database,
    key: &InstanceKey,
    organisation_id: &str,
    owner: Owner,
    owner_id: &str,
    public_key: &str,
) -> DomainResult<()> {
    tracing::error!(
        owner = owner.kind(),
        id = owner_id,
        "a key changed outside Ward was refused"
    );
    let entry = Entry {
        organisation_id: Some(organisation_id),
        actor_user_id: None,
        actor: "ward",
        action: Action::KeyRefused,
        object_type: Some(owner.kind()),
        object_id: Some(owner_id),
        detail: Some(format!(
            "the key was not set by Ward (fingerprint {}); nothing was sealed to it",
            crate::vault::fingerprint(public_key)
        )),
    };
    audit::record(db, key, entry).await?;
    Err(DomainError::KeyNotTrusted)
}

/// Bindings found genuine in this process. A binding covers the instance
/// key, the owner and the key itself, so a key changed in the database
/// since has another binding and is checked again; keeping them spares
/// intake a database read per report.
static VERIFIED: Mutex<Option<HashSet<String>>> = Mutex::new(None);
/// Most bindings remembered; beyond, the memory starts afresh.
const MOST_VERIFIED: usize = 10_000;

fn verified_before(binding: &str) -> bool {
    let verified = VERIFIED.lock().unwrap_or_else(|e| e.into_inner());
    verified.as_ref().is_some_and(|set| set.contains(binding))
}

fn remember_verified(binding: String) {
    let mut verified = VERIFIED.lock().unwrap_or_else(|e| e.into_inner());
    let set = verified.get_or_insert_with(HashSet::new);
    if set.len() >= MOST_VERIFIED {
        set.clear();
    }
    set.insert(binding);
}

/// A reporter's key as a report's row keeps it: the key and its binding,
/// `<key> <binding>`, in one column, so intake writes nothing more.
pub fn reporter_key_with_binding(key: &InstanceKey, report_id: &str, public_key: &str) -> String {
    let mac = binding(key, Owner::Reporter, report_id, public_key);
    format!("{public_key} {mac}")
}

/// A report's reporter key, checked (`None` for reports from before
/// follow-up): refused and audited when its binding is missing or wrong.
pub async fn reporter_key(
    db: &Database,
    key: &InstanceKey,
    report: &crate::storage::reports::ReportRow,
) -> DomainResult<Option<PublicKey>> {
    let Some(stored) = report.reporter_public_key.as_deref() else {
        return Ok(None);
    };
    let (public_key, mac) = stored.split_once(' ').unwrap_or((stored, ""));
    let expected = binding(key, Owner::Reporter, &report.id, public_key);
    if !bool::from(subtle::ConstantTimeEq::ct_eq(
        mac.as_bytes(),
        expected.as_bytes(),
    )) {
        let org = &report.organisation_id;
        refuse(db, key, org, Owner::Reporter, &report.id, public_key).await?;
    }
    Ok(Some(PublicKey::parse(public_key)?))
}

/// An organisation's age key, checked.
pub async fn organisation_key(
    db: &Database,
    key: &InstanceKey,
    organisation: &crate::storage::organisations::OrganisationRow,
) -> DomainResult<PublicKey> {
    let id = &organisation.id;
    check(
        db,
        key,
        id,
        Owner::Organisation,
        id,
        &organisation.public_key,
    )
    .await?;
    Ok(PublicKey::parse(&organisation.public_key)?)
}

/// The file, beside the instance key, that says existing keys were bound.
pub const MARKER: &str = "key-bindings-v1";

/// Binds the keys of an instance made before bindings existed, once: the
/// marker file beside the instance key says it was done, so that a key
/// planted in the database later is never bound by this.
pub async fn bind_existing_once(
    db: &Database,
    key: &InstanceKey,
    secrets_dir: &Path,
) -> DomainResult<()> {
    let marker = secrets_dir.join(MARKER);
    if marker.exists() {
        return Ok(());
    }
    let mut tx = db.begin_write().await?;
    for (kind, id, public_key) in key_bindings::all_keys(db).await? {
        let owner = match kind.as_str() {
            "organisation" => Owner::Organisation,
            "member" => Owner::Member,
            "portal-account" => Owner::PortalAccount,
            _ => Owner::Recipient,
        };
        if key_bindings::get(db, owner.kind(), &id).await?.is_none() {
            bind(&mut tx, key, owner, &id, &public_key).await?;
        }
    }
    for (report_id, public_key) in key_bindings::unbound_reporter_keys(db).await? {
        let stored = reporter_key_with_binding(key, &report_id, &public_key);
        key_bindings::set_reporter_key(&mut tx, &report_id, &stored).await?;
    }
    tx.commit().await?;
    crate::vault::instance::write_private_file(&marker, "public keys bound\n")
        .map_err(crate::vault::VaultError::Io)?;
    Ok(())
}
