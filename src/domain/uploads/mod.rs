//! Files a reporter attaches. The type is decided by the content, never by
//! the name; metadata is removed before anything is stored: from images
//! (EXIF, GPS, XMP, IPTC, comments, text chunks) without re-encoding the
//! picture, and from PDFs (see `pdf`).

pub mod pdf;

use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, markers};
use img_parts::png::Png;
use img_parts::webp::WebP;

use super::reports::NewAttachment;
use super::{DomainError, DomainResult};

/// The kinds of file Ward accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Jpeg,
    Png,
    Webp,
    Pdf,
    Text,
}

impl FileKind {
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png | FileKind::Webp)
    }
}

/// Recognises a file by its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(FileKind::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else if !bytes.is_empty() && !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
        Some(FileKind::Text)
    } else {
        None
    }
}

/// Checks a file and removes its metadata; the name keeps no path.
pub fn prepare(file: NewAttachment) -> DomainResult<NewAttachment> {
    let kind =
        sniff(&file.bytes).ok_or_else(|| DomainError::invalid("file", "invalid-file-type"))?;
    let damaged = || DomainError::invalid("file", "invalid-file-damaged");
    let bytes = match kind {
        FileKind::Jpeg => strip_jpeg(file.bytes).ok_or_else(damaged)?,
        FileKind::Png => strip_png(file.bytes).ok_or_else(damaged)?,
        FileKind::Webp => strip_webp(file.bytes).ok_or_else(damaged)?,
        FileKind::Pdf => pdf::clean_isolated(&file.bytes).map_err(|problem| match problem {
            pdf::Problem::Protected => DomainError::invalid("file", "invalid-file-protected"),
            pdf::Problem::Unreadable => damaged(),
        })?,
        FileKind::Text => file.bytes,
    };
    Ok(NewAttachment {
        file_name: clean_name(&file.file_name),
        content_type: kind.mime().to_string(),
        bytes,
    })
}

/// Keeps what decoding needs (JFIF, ICC colour profile, Adobe colour
/// transform, tables, frames, scans); drops every other application segment
/// and comments.
fn strip_jpeg(bytes: Vec<u8>) -> Option<Vec<u8>> {
    let mut jpeg = Jpeg::from_bytes(Bytes::from(bytes)).ok()?;
    jpeg.segments_mut().retain(|segment| {
        let marker = segment.marker();
        match marker {
            markers::APP0 | markers::APP14 => true,
            markers::APP2 => segment.contents().starts_with(b"ICC_PROFILE\0"),
            markers::COM => false,
            m if (markers::APP0..=markers::APP15).contains(&m) => false,
            _ => true,
        }
    });
    Some(jpeg.encoder().bytes().to_vec())
}

/// Drops text, EXIF and time chunks.
fn strip_png(bytes: Vec<u8>) -> Option<Vec<u8>> {
    let mut png = Png::from_bytes(Bytes::from(bytes)).ok()?;
    png.chunks_mut().retain(|chunk| {
        !matches!(
            &chunk.kind(),
            b"tEXt" | b"zTXt" | b"iTXt" | b"eXIf" | b"tIME"
        )
    });
    Some(png.encoder().bytes().to_vec())
}

fn strip_webp(bytes: Vec<u8>) -> Option<Vec<u8>> {
    use img_parts::ImageEXIF;
    let mut webp = WebP::from_bytes(Bytes::from(bytes)).ok()?;
    webp.set_exif(None);
    webp.remove_chunks_by_id(*b"XMP ");
    Some(webp.encoder().bytes().to_vec())
}

/// The last part of a name, without control characters, at most 120 characters.
fn clean_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(name: &str, bytes: &[u8]) -> NewAttachment {
        NewAttachment {
            file_name: name.into(),
            content_type: "application/octet-stream".into(),
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn types_come_from_content_not_names() {
        assert_eq!(sniff(b"%PDF-1.7 ..."), Some(FileKind::Pdf));
        assert_eq!(
            sniff("a ticket, in plain text".as_bytes()),
            Some(FileKind::Text)
        );
        assert_eq!(sniff(b"MZ\x90\x00\x03"), None, "a program is refused");
        assert_eq!(
            sniff(b"GIF89a"),
            Some(FileKind::Text),
            "short ASCII is text"
        );
        let exe = attachment("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04");
        assert!(prepare(exe).is_err());
        let prepared = prepare(attachment("../../etc/passwd\u{0007}", b"a ticket")).unwrap();
        assert_eq!(prepared.file_name, "passwd");
        assert_eq!(prepared.content_type, "text/plain; charset=utf-8");
        assert_eq!(
            prepare(attachment("C:\\Users\\x\\..", b"text"))
                .unwrap()
                .file_name,
            "file"
        );
    }

    #[test]
    fn jpeg_gps_and_camera_data_are_removed() {
        let original = include_bytes!("../../../tests/fixtures/gps.jpg");
        assert!(original.windows(20).any(|w| w == b"SyntheticCameraMaker"));
        let clean = prepare(attachment("photo.jpg", original)).unwrap();
        for gone in [
            &b"Exif"[..],
            b"SyntheticCameraMaker",
            b"SyntheticSoftware",
            b"SyntheticComment",
        ] {
            assert!(
                !clean.bytes.windows(gone.len()).any(|w| w == gone),
                "{}",
                String::from_utf8_lossy(gone)
            );
        }
        // Still a JPEG, with its picture data intact.
        assert_eq!(sniff(&clean.bytes), Some(FileKind::Jpeg));
        let jpeg = Jpeg::from_bytes(Bytes::from(clean.bytes.clone())).unwrap();
        assert_eq!(jpeg.dimensions(), Some((16, 16)));
        assert!(clean.bytes.ends_with(&[0xFF, 0xD9]));
    }

    #[test]
    fn png_text_and_exif_chunks_are_removed() {
        let original = include_bytes!("../../../tests/fixtures/text.png");
        assert!(original.windows(15).any(|w| w == b"SyntheticAuthor"));
        let clean = prepare(attachment("p.png", original)).unwrap();
        assert!(!clean.bytes.windows(15).any(|w| w == b"SyntheticAuthor"));
        assert!(!clean.bytes.windows(4).any(|w| w == b"eXIf"));
        assert_eq!(
            Png::from_bytes(Bytes::from(clean.bytes))
                .unwrap()
                .dimensions(),
            Some((8, 8))
        );
    }

    #[test]
    fn damaged_images_are_refused() {
        assert!(prepare(attachment("x.jpg", &[0xFF, 0xD8, 0xFF, 0xE1, 0xFF])).is_err());
        assert!(prepare(attachment("x.png", b"\x89PNG\r\n\x1a\nbroken")).is_err());
    }
}
