//! Referrals by e-mail: the package (a short text, the PDF, the JSON
//! document and the files) as a MIME message, encrypted to the recipient's
//! OpenPGP key and signed with the organisation's, sent as PGP/MIME
//! (RFC 3156) through the configured SMTP server. The subject and the
//! envelope say only who sends it and the case's reference.

use lettre::message::header::{ContentDisposition, ContentType};
use lettre::message::{Attachment, MultiPart, SinglePart};
use zeroize::Zeroizing;

use super::document::ReferralDocument;
use super::openpgp;
use super::package::PackageFile;
use crate::domain::actor::{Actor, Permission};
use crate::domain::{Context, DomainError, DomainResult};
use crate::mail::Mailer;
use crate::storage::organisations;
use crate::storage::recipients::RecipientRow;
use crate::storage::referrals as rows;

/// The organisation's OpenPGP secret key (armoured), made at the first need.
pub async fn organisation_signer(
    ctx: Context<'_>,
    actor: &Actor,
    organisation_name: &str,
) -> DomainResult<Zeroizing<String>> {
    let key = actor.key()?;
    if let Some((_, sealed)) = rows::organisation_key(ctx.db, &actor.organisation_id).await? {
        return Ok(Zeroizing::new(
            crate::domain::cases::open_text(key, &sealed)?.to_string(),
        ));
    }
    let (cert, secret) = openpgp::new_organisation_key(organisation_name)?;
    let sealed = key.public_key().seal(secret.as_bytes());
    rows::set_organisation_key(ctx.db, &actor.organisation_id, &cert, &sealed).await?;
    // Another process may have stored its own meanwhile: use whichever is stored.
    let (_, sealed) = rows::organisation_key(ctx.db, &actor.organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    Ok(Zeroizing::new(
        crate::domain::cases::open_text(key, &sealed)?.to_string(),
    ))
}

/// The organisation's public OpenPGP certificate (armoured), made at the
/// first need: recipients verify the referrals' signatures with it.
pub async fn organisation_certificate(ctx: Context<'_>, actor: &Actor) -> DomainResult<String> {
    actor.require(Permission::ReadReports)?;
    if let Some((cert, _)) = rows::organisation_key(ctx.db, &actor.organisation_id).await? {
        return Ok(cert);
    }
    let organisation = organisations::get(ctx.db, &actor.organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    organisation_signer(ctx, actor, &organisation.name).await?;
    rows::organisation_key(ctx.db, &actor.organisation_id)
        .await?
        .map(|(cert, _)| cert)
        .ok_or(DomainError::NotFound)
}

/// Sends a referral's package to its recipient, encrypted and signed.
pub async fn send(
    ctx: Context<'_>,
    actor: &Actor,
    mailer: &Mailer,
    organisation_name: &str,
    recipient: &RecipientRow,
    doc: &ReferralDocument,
    files: &[PackageFile],
) -> DomainResult<()> {
    let (Some(address), Some(recipient_key)) = (&recipient.email, &recipient.openpgp_key) else {
        return Err(DomainError::Delivery(
            "the recipient has no e-mail address and key".into(),
        ));
    };
    if !mailer.is_configured() {
        return Err(DomainError::Delivery(
            "Ward has no SMTP server (WARD_SMTP_URL)".into(),
        ));
    }
    crate::domain::key_bindings::check(
        ctx.db,
        ctx.key,
        &recipient.organisation_id,
        crate::domain::key_bindings::Owner::Recipient,
        &recipient.id,
        recipient_key,
    )
    .await?;
    let signer = organisation_signer(ctx, actor, organisation_name).await?;
    let inner = inner_message(organisation_name, doc, files)?;
    let armoured = {
        let (inner, recipient_key, signer) = (inner, recipient_key.clone(), signer);
        crate::domain::blocking(move || openpgp::encrypt_and_sign(&inner, &recipient_key, &signer))
            .await?
    };
    let subject = format!("Referral {} from {organisation_name}", doc.case.reference);
    let body = MultiPart::encrypted("application/pgp-encrypted".into())
        .singlepart(
            SinglePart::builder()
                .header(ContentType::parse("application/pgp-encrypted").expect("a content type"))
                .body(String::from("Version: 1\r\n")),
        )
        .singlepart(
            SinglePart::builder()
                .header(
                    ContentType::parse("application/octet-stream; name=\"encrypted.asc\"")
                        .expect("a content type"),
                )
                .header(ContentDisposition::inline_with_name("encrypted.asc"))
                .body(armoured),
        );
    mailer
        .send_multipart(address, &subject, body)
        .await
        .map_err(DomainError::Delivery)
}

/// The MIME message inside the encryption: a short text and every file.
fn inner_message(
    organisation_name: &str,
    doc: &ReferralDocument,
    files: &[PackageFile],
) -> DomainResult<Vec<u8>> {
    let text = format!(
        "{organisation_name} refers report {} to {}.\r\n\r\nreferral.pdf is the referral for people; referral.json the same for machines (schema: {}).\r\n",
        doc.case.reference,
        doc.to.name,
        super::document::SCHEMA_URL
    );
    let mut mixed = MultiPart::mixed().singlepart(SinglePart::plain(text));
    for file in files {
        let content_type = ContentType::parse(&file.content_type)
            .unwrap_or(ContentType::parse("application/octet-stream").expect("a content type"));
        mixed = mixed
            .singlepart(Attachment::new(file.name.clone()).body(file.bytes.clone(), content_type));
    }
    Ok(mixed.formatted())
}
