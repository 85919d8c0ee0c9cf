//! Files a reporter attaches. The type is decided by the content, never by
//! the name, and the stored name takes the extension of that type; metadata
//! is removed before anything is stored: from images by keeping only what
//! draws the picture (`jpeg`, `png`, `webp`: no EXIF, GPS, XMP, IPTC,
//! comments, text chunks, second images or appended data), and from PDFs
//! (see `pdf`: no metadata, embedded files, scripts or actions).

mod jpeg;
pub mod pdf;
mod png;
pub mod sandbox;
pub mod spool;
mod store;
mod webp;

use serde::{Deserialize, Serialize};

pub use spool::{Spool, SpoolWriter, SpooledFile};
pub(crate) use store::{remove_keys, remove_objects, store_all};

use super::{DomainError, DomainResult};

/// A file as it arrived, before cleaning.
pub struct NewAttachment {
    /// The name the sender gave it (cleaned before it is kept).
    pub file_name: String,
    pub content: Upload,
}

impl NewAttachment {
    /// A file held in memory.
    pub fn in_memory(file_name: impl Into<String>, bytes: Vec<u8>) -> Self {
        Self {
            file_name: file_name.into(),
            content: Upload::Memory(bytes),
        }
    }

    /// Its size as it arrived.
    pub fn len(&self) -> u64 {
        match &self.content {
            Upload::Spooled(file) => file.len(),
            Upload::Memory(bytes) => bytes.len() as u64,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Where a file waits to be cleaned.
pub enum Upload {
    /// Sealed in the spool: a file posted to the server larger than 1 MiB.
    Spooled(SpooledFile),
    /// In memory: a smaller one, or one made by Ward itself or a test.
    Memory(Vec<u8>),
}

impl Upload {
    /// The first `n` bytes.
    async fn head(&self, n: usize) -> std::io::Result<Vec<u8>> {
        match self {
            Upload::Spooled(file) => file.head(n).await,
            Upload::Memory(bytes) => Ok(bytes[..n.min(bytes.len())].to_vec()),
        }
    }

    async fn read_all(self) -> std::io::Result<Vec<u8>> {
        match self {
            Upload::Spooled(file) => file.read_all().await,
            Upload::Memory(bytes) => Ok(bytes),
        }
    }
}

/// What is sealed beside each stored file.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct AttachmentMetadata {
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
}

/// A file checked, named and cleaned of its metadata, ready to be sealed.
pub struct CleanFile {
    pub file_name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

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

    /// The extension a stored file of this kind is named with.
    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Pdf => "pdf",
            FileKind::Text => "txt",
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

/// Whether the first bytes of a file may be of a kind Ward accepts: a file
/// of another kind is refused before the rest of it is read.
pub fn may_be_accepted(head: &[u8]) -> bool {
    if sniff(head).is_some_and(|kind| kind != FileKind::Text) {
        return true;
    }
    // Text: no NUL, and UTF-8 up to a character the cut may have split.
    !head.is_empty()
        && !head.contains(&0)
        && std::str::from_utf8(head).map_or_else(|e| e.error_len().is_none(), |_| true)
}

/// Checks a file and removes its metadata; the name keeps no path and ends
/// with the extension of the detected type. Pictures are rewritten on a
/// blocking thread, PDFs in the cleaner's child process (waited for
/// without holding a thread).
pub async fn prepare(file_name: &str, bytes: Vec<u8>) -> DomainResult<CleanFile> {
    let kind = sniff(&bytes).ok_or_else(|| DomainError::invalid("file", "invalid-file-type"))?;
    let damaged = || DomainError::invalid("file", "invalid-file-damaged");
    let bytes = match kind {
        FileKind::Pdf => pdf::clean_isolated(bytes)
            .await
            .map_err(|problem| match problem {
                pdf::Problem::Protected => DomainError::invalid("file", "invalid-file-protected"),
                pdf::Problem::Unreadable => damaged(),
            })?,
        FileKind::Text => bytes,
        picture => super::blocking(move || match picture {
            FileKind::Jpeg => strip_jpeg(&bytes),
            FileKind::Png => png::strip(&bytes),
            _ => webp::strip(&bytes),
        })
        .await
        .ok_or_else(damaged)?,
    };
    Ok(CleanFile {
        file_name: clean_name(file_name, kind),
        kind,
        bytes,
    })
}

/// A JPEG with its primary image only (also used for photos inside PDFs).
pub(crate) fn strip_jpeg(bytes: &[u8]) -> Option<Vec<u8>> {
    jpeg::strip(bytes)
}

/// The last part of a name, without control characters, at most 120
/// characters, its extension replaced by the detected type's: a text file
/// named `evidence.hta` is stored as `evidence.txt`.
fn clean_name(name: &str, kind: FileKind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    let cleaned = cleaned.trim().trim_start_matches('.');
    let stem = match cleaned.rsplit_once('.') {
        Some((stem, _)) => stem,
        None => cleaned,
    };
    let stem = stem.trim_end_matches(['.', ' ']);
    let stem = if stem.is_empty() { "file" } else { stem };
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `super::prepare`, run to its end (pictures and text need no server).
    fn prepare((name, bytes): (&str, Vec<u8>)) -> DomainResult<CleanFile> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(super::prepare(name, bytes))
    }

    fn attachment<'a>(name: &'a str, bytes: &[u8]) -> (&'a str, Vec<u8>) {
        (name, bytes.to_vec())
    }

    #[test]
    fn the_first_bytes_refuse_what_cannot_be_accepted() {
        assert!(may_be_accepted(b"\xFF\xD8\xFF\xE0"));
        assert!(may_be_accepted(b"%PDF-1.7"));
        assert!(may_be_accepted("a ticket, caf\u{e9}".as_bytes()));
        // A cut in the middle of a character is still text.
        assert!(may_be_accepted(&"caf\u{e9}".as_bytes()[..4]));
        assert!(!may_be_accepted(b"MZ\x90\x00\x03"));
        assert!(!may_be_accepted(b"\xC3\x28 not UTF-8"));
        assert!(!may_be_accepted(b""));
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
        assert_eq!(prepared.file_name, "passwd.txt");
        assert_eq!(prepared.kind.mime(), "text/plain; charset=utf-8");
        let name = |name: &str| prepare(attachment(name, b"text")).unwrap().file_name;
        assert_eq!(name("C:\\Users\\x\\.."), "file.txt");
        assert_eq!(name("evidence.hta"), "evidence.txt");
        assert_eq!(name("page.html"), "page.txt");
        assert_eq!(name("notes.txt.exe"), "notes.txt.txt");
        assert_eq!(name(".bashrc"), "bashrc.txt");
        let photo = include_bytes!("../../../tests/fixtures/text.png");
        assert_eq!(
            prepare(attachment("photo.jpg", photo)).unwrap().file_name,
            "photo.png"
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
        // Still a JPEG that decodes to the same picture.
        assert_eq!(sniff(&clean.bytes), Some(FileKind::Jpeg));
        let before = image::load_from_memory(original).unwrap().to_rgb8();
        let after = image::load_from_memory(&clean.bytes).unwrap().to_rgb8();
        assert_eq!(before, after);
        assert!(clean.bytes.ends_with(&[0xFF, 0xD9]));
    }

    #[test]
    fn png_text_and_exif_chunks_are_removed() {
        let original = include_bytes!("../../../tests/fixtures/text.png");
        assert!(original.windows(15).any(|w| w == b"SyntheticAuthor"));
        let clean = prepare(attachment("p.png", original)).unwrap();
        assert!(!clean.bytes.windows(15).any(|w| w == b"SyntheticAuthor"));
        assert!(!clean.bytes.windows(4).any(|w| w == b"eXIf"));
        let before = image::load_from_memory(original).unwrap().to_rgba8();
        let after = image::load_from_memory(&clean.bytes).unwrap().to_rgba8();
        assert_eq!((after.width(), after.height()), (8, 8));
        assert_eq!(before, after);
    }

    #[test]
    fn damaged_images_are_refused() {
        assert!(prepare(attachment("x.jpg", &[0xFF, 0xD8, 0xFF, 0xE1, 0xFF])).is_err());
        assert!(prepare(attachment("x.png", b"\x89PNG\r\n\x1a\nbroken")).is_err());
    }
}
