//! Attachments in the case view. Images are shown as a blurred, greyscale
//! preview made on the server (nothing goes to a third party); the picture
//! itself is revealed one at a time by a deliberate action, which is
//! audited and gives a short-lived pass to that one image. Other files are
//! downloaded only on request, also audited.

use std::io::Cursor;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{annotations, find, open_json};
use crate::domain::actor::{Actor, Permission};
use crate::domain::audit::{self, Action, Entry};
use crate::domain::reports::AttachmentMetadata;
use crate::domain::{Context, DomainError, DomainResult, blocking};
use crate::storage::attachments::{self, AttachmentRow};
use crate::storage::now_millis;
use crate::vault::InstanceKey;

/// How long a reveal pass lets the browser fetch the image.
pub const REVEAL_LIFETIME_MS: i64 = 10 * 60 * 1000;
/// The preview's side, in pixels.
const PREVIEW_SIDE: u32 = 240;

/// Image types the server can preview (the ones intake accepts).
pub fn is_previewable(content_type: &str) -> bool {
    matches!(content_type, "image/jpeg" | "image/png" | "image/webp")
}

/// An opened attachment.
pub struct OpenedFile {
    pub metadata: AttachmentMetadata,
    pub bytes: Zeroizing<Vec<u8>>,
}

async fn load(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    attachment_id: &str,
) -> DomainResult<(AttachmentRow, AttachmentMetadata)> {
    actor.require(Permission::ReadReports)?;
    let case = find(ctx, actor, report_id).await?;
    let row = attachments::get(ctx.db, &actor.organisation_id, &case.id, attachment_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let metadata = open_json(actor.key()?, &row.sealed_metadata)?;
    Ok((row, metadata))
}

async fn open_file(
    ctx: Context<'_>,
    actor: &Actor,
    row: &AttachmentRow,
    metadata: AttachmentMetadata,
) -> DomainResult<OpenedFile> {
    let sealed = ctx.files.get(&row.object_key).await?;
    let bytes = actor.key()?.open(&sealed)?;
    Ok(OpenedFile { metadata, bytes })
}

/// The blurred greyscale preview of an image (PNG), made once and kept
/// sealed in the file store; `None` when the image cannot be decoded.
pub async fn preview(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    attachment_id: &str,
) -> DomainResult<Option<Vec<u8>>> {
    let (row, metadata) = load(ctx, actor, report_id, attachment_id).await?;
    if !is_previewable(&metadata.content_type) {
        return Err(DomainError::NotFound);
    }
    let key = actor.key()?;
    let cache_key = format!("previews/{}/{}", row.organisation_id, row.id);
    if let Some(sealed) = ctx.files.get_optional(&cache_key).await? {
        return Ok(Some(key.open(&sealed)?.to_vec()));
    }
    let file = open_file(ctx, actor, &row, metadata).await?;
    let Some(png) = blocking(move || blurred_preview(&file.bytes)).await else {
        return Ok(None);
    };
    let recipient = annotations::organisation_key(ctx, &actor.organisation_id).await?;
    ctx.files.put(&cache_key, recipient.seal(&png)).await?;
    Ok(Some(png))
}

/// Decodes an image within limits, shrinks it to a few pixels, turns it
/// grey and blurs it back up to preview size: shapes and colours' weight
/// remain, nothing recognisable does.
pub fn blurred_preview(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(96 * 1024 * 1024);
    reader.limits(limits);
    let image = reader.decode().ok()?;
    let tiny = image.thumbnail(16, 16).grayscale();
    let (w, h) = (tiny.width().max(1), tiny.height().max(1));
    let scale = PREVIEW_SIDE as f32 / w.max(h) as f32;
    let preview = tiny
        .resize_exact(
            ((w as f32 * scale) as u32).max(1),
            ((h as f32 * scale) as u32).max(1),
            image::imageops::FilterType::Triangle,
        )
        .blur(6.0);
    let mut out = Cursor::new(Vec::new());
    preview.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some(out.into_inner())
}

#[derive(Serialize, Deserialize)]
struct RevealPass {
    user: String,
    attachment: String,
    issued_at: i64,
}

fn pass_key(key: &InstanceKey) -> InstanceKey {
    key.derive("attachment reveal")
}

/// Records that the member revealed an image and returns a pass that lets
/// their browser load that one image for a few minutes.
pub async fn reveal(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    attachment_id: &str,
) -> DomainResult<String> {
    let (row, metadata) = load(ctx, actor, report_id, attachment_id).await?;
    if !is_previewable(&metadata.content_type) {
        return Err(DomainError::NotFound);
    }
    audit::record(
        ctx.db,
        ctx.key,
        Entry::by(actor, Action::AttachmentRevealed, "attachment", &row.id)
            .with_detail(format!("report {}", super::reference(&row.report_id))),
    )
    .await?;
    let pass = RevealPass {
        user: actor.user_id.clone(),
        attachment: row.id,
        issued_at: now_millis(),
    };
    let json = serde_json::to_vec(&pass).expect("a pass serialises");
    Ok(URL_SAFE_NO_PAD.encode(pass_key(ctx.key).seal(&json)))
}

/// The revealed image, for the member who holds a fresh pass to it.
pub async fn revealed_image(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    attachment_id: &str,
    pass: &str,
) -> DomainResult<OpenedFile> {
    let (row, metadata) = load(ctx, actor, report_id, attachment_id).await?;
    let valid = URL_SAFE_NO_PAD
        .decode(pass.trim())
        .ok()
        .and_then(|sealed| pass_key(ctx.key).open(&sealed).ok())
        .and_then(|json| serde_json::from_slice::<RevealPass>(&json).ok())
        .is_some_and(|p| {
            let age = now_millis() - p.issued_at;
            p.user == actor.user_id
                && p.attachment == attachment_id
                && (0..REVEAL_LIFETIME_MS).contains(&age)
        });
    if !valid {
        return Err(DomainError::Forbidden);
    }
    if !is_previewable(&metadata.content_type) {
        return Err(DomainError::NotFound);
    }
    open_file(ctx, actor, &row, metadata).await
}

/// A file for download, recorded in the audit log.
pub async fn download(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    attachment_id: &str,
) -> DomainResult<OpenedFile> {
    let (row, metadata) = load(ctx, actor, report_id, attachment_id).await?;
    let file = open_file(ctx, actor, &row, metadata).await?;
    audit::record(
        ctx.db,
        ctx.key,
        Entry::by(actor, Action::AttachmentDownloaded, "attachment", &row.id)
            .with_detail(format!("report {}", super::reference(&row.report_id))),
    )
    .await?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32, pixel: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb(pixel(x, y)));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn previews_are_grey_blurred_and_small() {
        // A sharp red and blue checkerboard: the preview keeps no colour and no edge.
        let original = png(400, 300, |x, y| {
            if (x / 20 + y / 20) % 2 == 0 {
                [220, 20, 20]
            } else {
                [20, 20, 220]
            }
        });
        let preview = blurred_preview(&original).unwrap();
        let image = image::load_from_memory(&preview).unwrap().to_rgb8();
        assert_eq!(image.width(), PREVIEW_SIDE);
        assert!(image.height() < PREVIEW_SIDE);
        assert!(
            image.pixels().all(|p| p[0] == p[1] && p[1] == p[2]),
            "greyscale"
        );
        let steepest = image
            .rows()
            .flat_map(|row| {
                let row: Vec<i32> = row.map(|p| i32::from(p[0])).collect();
                row.windows(2)
                    .map(|w| (w[0] - w[1]).abs())
                    .collect::<Vec<_>>()
            })
            .max()
            .unwrap();
        assert!(
            steepest < 20,
            "no sharp edge survives (steepest step {steepest})"
        );
    }

    #[test]
    fn what_is_not_an_image_has_no_preview() {
        assert!(blurred_preview(b"%PDF-1.7 not an image").is_none());
        assert!(blurred_preview(&[0x89, b'P', b'N', b'G', 0, 0]).is_none());
        assert!(is_previewable("image/png") && !is_previewable("application/pdf"));
    }
}
