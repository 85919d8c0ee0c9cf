//! Metadata removal for uploaded PDFs.
//!
//! A PDF can name its author and the software that made it (the document
//! information dictionary and XMP streams), keep the names of people who
//! commented on it (annotation authors), older revisions of its own content,
//! and photos whose EXIF still holds a GPS position; it can also act when
//! opened (scripts, actions that open an address or launch a program, forms
//! that send themselves) and carry other files. Ward rewrites every
//! uploaded PDF without those, keeping the pages as they are.
//!
//! Parsing a hostile PDF is the riskiest thing Ward does with a reporter's
//! file, so it happens in a child process (`ward clean-pdf`, not listed in
//! the help) with a memory and CPU limit and a deadline: a file that would
//! exhaust memory or loop ends that process, never the server, and the
//! reporter is told the file cannot be read. Before it reads anything, the
//! child gives up files, sockets and programs (see `sandbox`).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use lopdf::{Dictionary, Document, LoadOptions, Object};

/// Why a PDF could not be cleaned.
#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    /// Protected with a password: its content cannot be rewritten.
    Protected,
    /// Not a PDF Ward can read (damaged, or beyond the limits below).
    Unreadable,
}

/// Keys that carry metadata rather than content, wherever they appear:
/// XMP streams, application-private data and modification times.
const METADATA_KEYS: [&[u8]; 3] = [b"Metadata", b"PieceInfo", b"LastModified"];
/// Keys that make a PDF act or carry other files, wherever they appear:
/// scripts (`JS`, the `JavaScript` name tree), actions run on opening or on
/// events (`OpenAction`, `AA`), embedded and related files (`EmbeddedFiles`,
/// `EF`, `RF`, portfolios), XML forms (`XFA`), the base address of links
/// (`URI`) and rich media. A PDF that calls out when opened would tell
/// whoever waits at the other end who opened it and when.
const ACTIVE_KEYS: [&[u8]; 11] = [
    b"JS",
    b"JavaScript",
    b"OpenAction",
    b"AA",
    b"EmbeddedFiles",
    b"EF",
    b"RF",
    b"Collection",
    b"XFA",
    b"URI",
    b"RichMediaContent",
];
/// Actions that run a program, open an address, send a form, fetch or
/// play something: a dictionary of one of these types is emptied, so a
/// link or button that used it does nothing.
const ACTIVE_ACTIONS: [&[u8]; 12] = [
    b"Launch",
    b"URI",
    b"SubmitForm",
    b"ImportData",
    b"JavaScript",
    b"GoToR",
    b"GoToE",
    b"Rendition",
    b"Movie",
    b"Sound",
    b"RichMediaExecute",
    b"Thread",
];
/// Kinds of annotation that hold a file or media: emptied.
const FILE_ANNOTATIONS: [&[u8]; 5] = [
    b"FileAttachment",
    b"Sound",
    b"Movie",
    b"Screen",
    b"RichMedia",
];
/// Keys of an annotation that name its author and times (not of form fields,
/// where `T` is the field's name).
const ANNOTATION_KEYS: [&[u8]; 3] = [b"T", b"M", b"CreationDate"];
/// Largest size one compressed object stream may expand to while loading.
const MAX_EXPANDED_STREAM: usize = 64 * 1024 * 1024;

/// Rewrites a PDF without its metadata.
pub fn clean(bytes: &[u8]) -> Result<Vec<u8>, Problem> {
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_EXPANDED_STREAM),
        ..LoadOptions::default()
    };
    let mut doc =
        Document::load_mem_with_options(bytes, options).map_err(|_| Problem::Unreadable)?;
    if doc.was_encrypted() || doc.is_encrypted() {
        return Err(Problem::Protected);
    }
    if doc.catalog().is_err() {
        return Err(Problem::Unreadable);
    }
    // The information dictionary and the file identifiers (often a hash of
    // the path and time the file was made on the reporter's computer).
    doc.trailer.remove(b"Info");
    doc.trailer.remove(b"ID");
    for object in doc.objects.values_mut() {
        scrub(object)?;
    }
    // Unreferenced objects (the old information dictionary, XMP streams)
    // are dropped; the file is written anew, without earlier revisions.
    doc.prune_objects();
    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out).map_err(|_| Problem::Unreadable)?;
    Ok(out)
}

/// Removes metadata from one object and the objects written inside it.
fn scrub(object: &mut Object) -> Result<(), Problem> {
    match object {
        Object::Dictionary(dict) => scrub_dictionary(dict),
        Object::Array(items) => items.iter_mut().try_for_each(scrub),
        Object::Stream(stream) => {
            if stream.dict.has_type(b"EmbeddedFile") {
                stream.dict = Dictionary::new();
                stream.set_content(Vec::new());
                return Ok(());
            }
            scrub_dictionary(&mut stream.dict)?;
            if is_jpeg(&stream.dict) {
                let stripped = super::strip_jpeg(&stream.content).ok_or(Problem::Unreadable)?;
                stream.set_content(stripped);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn scrub_dictionary(dict: &mut Dictionary) -> Result<(), Problem> {
    let name = |key: &[u8]| dict.get(key).and_then(Object::as_name).unwrap_or(b"");
    let active = ACTIVE_ACTIONS.contains(&name(b"S"))
        || (dict.has_type(b"Annot") && FILE_ANNOTATIONS.contains(&name(b"Subtype")))
        || dict.has_type(b"Filespec")
        || dict.has_type(b"EmbeddedFile");
    if active {
        // Emptied rather than removed: other objects may still point at it.
        *dict = Dictionary::new();
        return Ok(());
    }
    for key in METADATA_KEYS.iter().chain(&ACTIVE_KEYS) {
        dict.remove(key);
    }
    let widget = matches!(
        dict.get(b"Subtype").and_then(Object::as_name),
        Ok(b"Widget")
    );
    if dict.has_type(b"Annot") && !widget {
        for key in ANNOTATION_KEYS {
            dict.remove(key);
        }
    }
    dict.iter_mut().try_for_each(|(_, value)| scrub(value))
}

/// Whether a stream is a JPEG picture (its only filter is `DCTDecode`).
fn is_jpeg(dict: &Dictionary) -> bool {
    match dict.get(b"Filter") {
        Ok(Object::Name(name)) => name == b"DCTDecode",
        Ok(Object::Array(filters)) => {
            matches!(filters.as_slice(), [Object::Name(name)] if name == b"DCTDecode")
        }
        _ => false,
    }
}

// ---- The child process ---------------------------------------------------

/// Address space the child may use: far more than a real PDF of the largest
/// accepted size needs, far less than would hurt the server.
const CHILD_MEMORY: u64 = 768 * 1024 * 1024;
/// CPU seconds the child may use, and the wall-clock deadline after which it is stopped.
const CHILD_CPU_SECONDS: u64 = 20;
const DEADLINE: Duration = Duration::from_secs(30);
/// PDFs cleaned at once: each child may use up to `CHILD_MEMORY`.
const AT_ONCE: usize = 2;
/// Exit codes of the child.
const EXIT_PROTECTED: u8 = 3;
const EXIT_UNREADABLE: u8 = 4;

static PROGRAM: OnceLock<PathBuf> = OnceLock::new();

/// Sets the program started as `<program> clean-pdf`. By default Ward starts
/// itself; tests that run the server inside the test binary name the `ward`
/// binary here.
pub fn use_program(program: impl Into<PathBuf>) {
    let _ = PROGRAM.set(program.into());
}

/// Places among the `AT_ONCE` cleaners allowed to run. A cleaning waits for
/// one without holding a thread: the parent side is asynchronous, so a
/// burst of PDFs never takes the blocking threads that sealing needs.
static PLACES: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(AT_ONCE);

/// Cleans a PDF in a child process with limits (see the module's comment).
pub async fn clean_isolated(bytes: Vec<u8>) -> Result<Vec<u8>, Problem> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let program = match PROGRAM.get() {
        Some(program) => program.clone(),
        None => std::env::current_exe().map_err(|_| Problem::Unreadable)?,
    };
    let _place = PLACES.acquire().await.map_err(|_| Problem::Unreadable)?;
    let mut child = tokio::process::Command::new(program)
        .arg("clean-pdf")
        .env_clear()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            tracing::error!(error = %e, "cannot start the PDF cleaner");
            Problem::Unreadable
        })?;
    let mut stdin = child.stdin.take().ok_or(Problem::Unreadable)?;
    let stdout = child.stdout.take().ok_or(Problem::Unreadable)?;
    // Metadata removal never adds much; a child that writes more is stopped.
    let most = bytes.len() as u64 * 2 + 1024 * 1024;
    let run = async {
        // A child that stops reading makes this write fail, which is fine:
        // its exit status tells what happened.
        let write = async move {
            let _ = stdin.write_all(&bytes).await;
        };
        let read = async {
            let mut out = Vec::new();
            stdout.take(most).read_to_end(&mut out).await.map(|_| out)
        };
        let ((), output) = tokio::join!(write, read);
        (child.wait().await, output)
    };
    let (status, output) = match tokio::time::timeout(DEADLINE, run).await {
        Ok((status, output)) => (status.ok(), output.ok()),
        Err(_) => (None, None), // the child is killed when dropped
    };
    match (status.and_then(|s| s.code()), output) {
        (Some(0), Some(out)) if out.starts_with(b"%PDF-") => Ok(out),
        (Some(code), _) if code == i32::from(EXIT_PROTECTED) => Err(Problem::Protected),
        _ => Err(Problem::Unreadable),
    }
}

/// `ward clean-pdf`: reads a PDF on standard input and writes it, cleaned,
/// on standard output. Runs before any thread or runtime is started, so the
/// memory limit is not spent on thread stacks and arenas. Returns the exit code.
pub fn child_main() -> u8 {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let limit = |value| Rlimit {
        current: Some(value),
        maximum: Some(value),
    };
    if setrlimit(Resource::As, limit(CHILD_MEMORY)).is_err()
        || setrlimit(Resource::Cpu, limit(CHILD_CPU_SECONDS)).is_err()
        || super::sandbox::confine().is_err()
    {
        return EXIT_UNREADABLE;
    }
    let mut input = Vec::new();
    if std::io::stdin().lock().read_to_end(&mut input).is_err() {
        return EXIT_UNREADABLE;
    }
    match clean(&input) {
        Ok(out) => match std::io::stdout().lock().write_all(&out) {
            Ok(()) => 0,
            Err(_) => EXIT_UNREADABLE,
        },
        Err(Problem::Protected) => EXIT_PROTECTED,
        Err(Problem::Unreadable) => EXIT_UNREADABLE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// See `tests/fixtures/README.md` for what these files hold.
    const METADATA: &[u8] = include_bytes!("../../../tests/fixtures/metadata.pdf");
    const PROTECTED: &[u8] = include_bytes!("../../../tests/fixtures/protected.pdf");

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn metadata_goes_and_the_page_stays() {
        let author = b"Synthetic Reporter Name";
        assert!(contains(METADATA, author) && contains(METADATA, b"Exif"));
        let cleaned = clean(METADATA).unwrap();
        let file_id = b"53796E74686574696346696C65496430"; // "SyntheticFileId0" in hexadecimal
        for gone in [
            &author[..],
            b"Synthetic Writer",
            b"Exif",
            b"SyntheticCameraMaker",
            file_id,
        ] {
            assert!(
                !contains(&cleaned, gone),
                "{}",
                String::from_utf8_lossy(gone)
            );
        }
        let doc = Document::load_mem(&cleaned).unwrap();
        assert!(doc.trailer.get(b"Info").is_err());
        assert_eq!(doc.get_pages().len(), 1);
        let page = *doc.get_pages().values().next().unwrap();
        assert!(contains(
            &doc.get_page_content(page),
            b"Room 312, Hotel Sol"
        ));
        // The form field keeps its name; the photo is still a JPEG.
        assert!(contains(&cleaned, b"booking_reference"));
        let photo = doc
            .objects
            .values()
            .find_map(|o| o.as_stream().ok().filter(|s| is_jpeg(&s.dict)))
            .unwrap();
        assert!(photo.content.starts_with(&[0xFF, 0xD8]) && photo.content.len() > 100);
    }

    #[test]
    fn damaged_and_protected_files_are_refused() {
        assert_eq!(clean(b"%PDF-1.4 nothing else"), Err(Problem::Unreadable));
        let half = &METADATA[..METADATA.len() / 2];
        assert_eq!(clean(half).map(|_| ()), Err(Problem::Unreadable));
        assert_eq!(clean(PROTECTED), Err(Problem::Protected));
    }
}
