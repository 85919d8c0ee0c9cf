//! A corpus of hostile uploads, made here by code (solid colours and noise,
//! never real photos): each file carries identifying details the way
//! phones, cameras and office software write them, or hides something
//! active. Each is sent through the intake API, read back as an analyst
//! would, and checked with an independent tool, `exiftool`: no GPS
//! position, camera make or model, serial number, owner, author, comment or
//! embedded file may remain, and no byte of the `Synthetic…` markers.

use std::process::Command;

use lopdf::{Document, Object, Stream, dictionary};

use crate::helpers::{TestApp, sample_report, spawn_app};

/// Every identifying value in the corpus contains this, so that a search
/// of the stored bytes and of exiftool's answer finds any survivor.
const MARK: &str = "Synthetic";

/// Tags that must not survive, by exiftool's name (any group).
const FORBIDDEN_TAGS: [&str; 18] = [
    "Make",
    "Model",
    "Artist",
    "Author",
    "Creator",
    "OwnerName",
    "CameraOwnerName",
    "SerialNumber",
    "BodySerialNumber",
    "InternalSerialNumber",
    "LensSerialNumber",
    "Comment",
    "UserComment",
    "XPAuthor",
    "XPComment",
    "Software",
    "MPFVersion",
    "NumberOfImages",
];

// ---- Building the corpus -------------------------------------------------

/// A TIFF structure (as inside EXIF and PNG's `eXIf`), big-endian.
struct Tiff(Vec<u8>);

/// One IFD entry: tag, type (2 ASCII, 4 LONG, 5 RATIONAL, 7 UNDEFINED), count, value.
type Entry = (u16, u16, u32, Vec<u8>);

impl Tiff {
    fn new() -> Tiff {
        Tiff(b"MM\x00\x2a\x00\x00\x00\x00".to_vec())
    }

    /// Writes an IFD (entries sorted by tag) and returns its offset.
    fn ifd(&mut self, entries: &[Entry]) -> u32 {
        let start = self.0.len();
        let mut data_at = start + 2 + 12 * entries.len() + 4;
        let mut data = Vec::new();
        self.0
            .extend_from_slice(&(entries.len() as u16).to_be_bytes());
        for (tag, kind, count, value) in entries {
            self.0.extend_from_slice(&tag.to_be_bytes());
            self.0.extend_from_slice(&kind.to_be_bytes());
            self.0.extend_from_slice(&count.to_be_bytes());
            if value.len() <= 4 {
                let mut inline = value.clone();
                inline.resize(4, 0);
                self.0.extend_from_slice(&inline);
            } else {
                self.0.extend_from_slice(&(data_at as u32).to_be_bytes());
                data.extend_from_slice(value);
                if value.len() % 2 == 1 {
                    data.push(0);
                }
                data_at = start + 2 + 12 * entries.len() + 4 + data.len();
            }
        }
        self.0.extend_from_slice(&[0; 4]);
        self.0.extend_from_slice(&data);
        start as u32
    }

    /// Sets the offset of the first IFD.
    fn root(mut self, offset: u32) -> Vec<u8> {
        self.0[4..8].copy_from_slice(&offset.to_be_bytes());
        self.0
    }
}

fn ascii(tag: u16, text: &str) -> Entry {
    let mut value = text.as_bytes().to_vec();
    value.push(0);
    (tag, 2, value.len() as u32, value)
}

fn long(tag: u16, value: u32) -> Entry {
    (tag, 4, 1, value.to_be_bytes().to_vec())
}

fn rationals(tag: u16, values: &[(u32, u32)]) -> Entry {
    let bytes = values
        .iter()
        .flat_map(|(n, d)| [n.to_be_bytes(), d.to_be_bytes()].concat())
        .collect();
    (tag, 5, values.len() as u32, bytes)
}

/// EXIF as a camera writes it: make, model, artist, owner, serial number
/// and a GPS position (49.61° N, 6.13° E).
fn exif_tiff(label: &str) -> Vec<u8> {
    let mut tiff = Tiff::new();
    let gps = tiff.ifd(&[
        ascii(0x0001, "N"),
        rationals(0x0002, &[(49, 1), (36, 1), (3600, 100)]),
        ascii(0x0003, "E"),
        rationals(0x0004, &[(6, 1), (7, 1), (4800, 100)]),
    ]);
    let exif = tiff.ifd(&[
        ascii(0x9286, &format!("{MARK}UserComment{label}")),
        ascii(0xA430, &format!("{MARK}Owner{label}")),
        ascii(0xA431, &format!("{MARK}Serial{label}")),
    ]);
    let root = tiff.ifd(&[
        ascii(0x010F, &format!("{MARK}Make{label}")),
        ascii(0x0110, &format!("{MARK}Model{label}")),
        ascii(0x0131, &format!("{MARK}Software{label}")),
        ascii(0x013B, &format!("{MARK}Artist{label}")),
        long(0x8769, exif),
        long(0x8825, gps),
    ]);
    tiff.root(root)
}

pub(crate) fn exif_segment(label: &str) -> Vec<u8> {
    [&b"Exif\0\0"[..], &exif_tiff(label)].concat()
}

/// Noise, so that the pictures are not trivially compressible.
fn noise(width: u16, height: u16, seed: u8) -> Vec<u8> {
    let mut state = u32::from(seed) | 1;
    (0..usize::from(width) * usize::from(height) * 3)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect()
}

pub(crate) fn jpeg(progressive: bool, app_segments: &[(u8, Vec<u8>)], seed: u8) -> Vec<u8> {
    use jpeg_encoder::{ColorType, Encoder};
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, 90);
    encoder.set_progressive(progressive);
    for (number, data) in app_segments {
        encoder.add_app_segment(*number, data.clone()).unwrap();
    }
    encoder
        .encode(&noise(48, 32, seed), 48, 32, ColorType::Rgb)
        .unwrap();
    out
}

fn jpeg_segment(marker: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![0xFF, marker];
    out.extend_from_slice(&((contents.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(contents);
    out
}

/// A phone's photo: EXIF with GPS, an MPF index, and a second image (as
/// phones append a depth map or a preview) with its own EXIF and GPS.
fn jpeg_with_second_image() -> Vec<u8> {
    let mut mpf = Tiff::new();
    let index = mpf.ifd(&[(0xB000, 7, 4, b"0100".to_vec()), long(0xB001, 2)]);
    let mpf = [&b"MPF\0"[..], &mpf.root(index)].concat();
    let primary = jpeg(false, &[(1, exif_segment("Primary")), (2, mpf)], 1);
    let second = jpeg(false, &[(1, exif_segment("Second"))], 2);
    [primary, second].concat()
}

/// A camera maker's trailer after the image, and XMP and Photoshop (IPTC) blocks.
fn jpeg_with_trailer() -> Vec<u8> {
    let xmp = format!(
        "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:creator><rdf:Seq><rdf:li>{MARK}XmpCreator</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    );
    let iptc_author = format!("{MARK}IptcByline");
    let mut iptc = vec![0x1C, 0x02, 0x50];
    iptc.extend_from_slice(&(iptc_author.len() as u16).to_be_bytes());
    iptc.extend_from_slice(iptc_author.as_bytes());
    let mut photoshop = b"Photoshop 3.0\08BIM\x04\x04\0\0".to_vec();
    photoshop.extend_from_slice(&(iptc.len() as u32).to_be_bytes());
    photoshop.extend(iptc);
    let image = jpeg(
        false,
        &[
            (1, xmp.into_bytes()),
            (13, photoshop),
            (11, exif_segment("App11")),
        ],
        3,
    );
    let trailer = format!("SEFH{MARK}MakerTrailerSerial0042 SEFT");
    [image, trailer.into_bytes()].concat()
}

/// A progressive JPEG with a comment between its scans.
fn progressive_jpeg_with_comments() -> Vec<u8> {
    let plain = jpeg(true, &[(1, exif_segment("Progressive"))], 4);
    let first_scan = find(&plain, &[0xFF, 0xDA], 0).unwrap();
    let second_scan = find(&plain, &[0xFF, 0xDA], first_scan + 2).expect("several scans");
    let comment = jpeg_segment(0xFE, format!("{MARK}CommentBetweenScans").as_bytes());
    let before = jpeg_segment(0xFE, format!("{MARK}CommentBeforeFrame").as_bytes());
    [
        &plain[..2],
        &before,
        &plain[2..second_scan],
        &comment,
        &plain[second_scan..],
    ]
    .concat()
}

/// A JPEG that is also a ZIP archive.
fn jpeg_zip_polyglot() -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        format!("{MARK}Archive.html"),
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(format!("<script>{MARK}Payload()</script>").as_bytes())
        .unwrap();
    let zip = zip.finish().unwrap().into_inner();
    [jpeg(false, &[], 5), zip].concat()
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
    out
}

/// A PNG with every kind of metadata chunk, a private chunk and data after IEND.
fn png_with_every_chunk() -> Vec<u8> {
    let mut plain = Vec::new();
    image::RgbImage::from_raw(48, 32, noise(48, 32, 6))
        .unwrap()
        .write_to(
            &mut std::io::Cursor::new(&mut plain),
            image::ImageFormat::Png,
        )
        .unwrap();
    let iend = plain.len() - 12;
    let ztxt = {
        use std::io::Write;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(format!("{MARK}CompressedComment").as_bytes())
            .unwrap();
        [&b"Comment\0\0"[..], &z.finish().unwrap()].concat()
    };
    let itxt = format!(
        "XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description xmlns:tiff='http://ns.adobe.com/tiff/1.0/'><tiff:Make>{MARK}XmpMake</tiff:Make></rdf:Description></rdf:RDF></x:xmpmeta>"
    );
    [
        &plain[..iend],
        &png_chunk(b"tEXt", format!("Author\0{MARK}Author").as_bytes()),
        &png_chunk(b"zTXt", &ztxt),
        &png_chunk(b"iTXt", itxt.as_bytes()),
        &png_chunk(b"eXIf", &exif_tiff("Png")),
        &png_chunk(b"tIME", &[0x07, 0xEA, 11, 30, 12, 0, 0]),
        &png_chunk(b"prVt", format!("{MARK}Private").as_bytes()),
        &plain[iend..],
        format!("{MARK}AfterEnd").as_bytes(),
    ]
    .concat()
}

fn riff_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = kind.to_vec();
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    out
}

/// An extended WebP with EXIF and XMP chunks.
fn webp_with_exif_and_xmp() -> Vec<u8> {
    let mut plain = Vec::new();
    image::RgbImage::from_raw(48, 32, noise(48, 32, 7))
        .unwrap()
        .write_to(
            &mut std::io::Cursor::new(&mut plain),
            image::ImageFormat::WebP,
        )
        .unwrap();
    let picture = &plain[12..]; // the VP8L chunk
    let mut header = vec![0x08 | 0x04, 0, 0, 0];
    header.extend_from_slice(&47u32.to_le_bytes()[..3]);
    header.extend_from_slice(&31u32.to_le_bytes()[..3]);
    let xmp = format!(
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:creator><rdf:Seq><rdf:li>{MARK}WebpCreator</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>"
    );
    let body = [
        riff_chunk(b"VP8X", &header),
        picture.to_vec(),
        riff_chunk(b"EXIF", &exif_tiff("Webp")),
        riff_chunk(b"XMP ", xmp.as_bytes()),
    ]
    .concat();
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend(body);
    out.extend_from_slice(format!("{MARK}AfterRiff").as_bytes());
    out
}

/// A PDF that acts when opened: a script on opening, scripts in the name
/// tree, an embedded file and a file attachment, a link that calls out, a
/// program to launch, a form that submits itself, an XML form, an
/// annotation's author and a document author.
fn active_pdf() -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages = doc.new_object_id();
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
    let content = doc.add_object(Stream::new(
        dictionary! {},
        b"BT /F1 12 Tf 72 720 Td (Room 312) Tj ET".to_vec(),
    ));
    let text = |s: &str| Object::string_literal(format!("{MARK}{s}"));
    let embedded = doc.add_object(Stream::new(
        dictionary! { "Type" => "EmbeddedFile" },
        format!("{MARK}EmbeddedFileContent").into_bytes(),
    ));
    let filespec = doc.add_object(dictionary! {
        "Type" => "Filespec", "F" => text("Attached.exe"), "UF" => text("Attached.exe"),
        "EF" => dictionary! { "F" => embedded },
    });
    let script = doc.add_object(dictionary! { "S" => "JavaScript", "JS" => text("OpenScript()") });
    let uri = dictionary! { "S" => "URI", "URI" => text(".invalid/beacon") };
    let launch = dictionary! { "S" => "Launch", "F" => text("Program.exe") };
    let submit = dictionary! { "S" => "SubmitForm", "F" => dictionary! { "FS" => "URL", "F" => text(".invalid/submit") } };
    let rect = || vec![0.into(), 0.into(), 10.into(), 10.into()];
    let annotations = vec![
        doc.add_object(
            dictionary! { "Type" => "Annot", "Subtype" => "Link", "Rect" => rect(), "A" => uri },
        )
        .into(),
        doc.add_object(
            dictionary! { "Type" => "Annot", "Subtype" => "Link", "Rect" => rect(), "A" => launch },
        )
        .into(),
        doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "FileAttachment", "Rect" => rect(), "FS" => filespec,
            "T" => text("AnnotationAuthor"),
        })
        .into(),
        doc.add_object(dictionary! {
            "Type" => "Annot", "Subtype" => "Text", "Rect" => rect(), "T" => text("CommentAuthor"),
            "Contents" => "a note", "AA" => dictionary! { "O" => script },
        })
        .into(),
    ];
    let field = doc.add_object(dictionary! {
        "Type" => "Annot", "Subtype" => "Widget", "FT" => "Btn", "T" => "send", "Rect" => rect(), "A" => submit,
    });
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
        "Annots" => [annotations, vec![field.into()]].concat(),
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! {
        "Type" => "Catalog", "Pages" => pages,
        "OpenAction" => script,
        "Names" => dictionary! {
            "JavaScript" => dictionary! { "Names" => vec![text("NamedScript"), script.into()] },
            "EmbeddedFiles" => dictionary! { "Names" => vec![text("Attached.exe"), filespec.into()] },
        },
        "AcroForm" => dictionary! { "Fields" => vec![field.into()], "XFA" => text("XfaForm") },
        "URI" => dictionary! { "Base" => text(".invalid/") },
    });
    let info = doc.add_object(
        dictionary! { "Author" => text("DocumentAuthor"), "Creator" => text("Creator") },
    );
    doc.trailer.set("Root", catalog);
    doc.trailer.set("Info", info);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

// ---- Checking ------------------------------------------------------------

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// What exiftool reads in a file (every group, unknown tags, embedded
/// documents), as `group:tag` → value; `None` when exiftool is not installed.
fn exiftool(bytes: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upload");
    std::fs::write(&path, bytes).unwrap();
    let output = match Command::new("exiftool")
        .args(["-json", "-a", "-u", "-G1", "-ee"])
        .arg(&path)
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("exiftool: {e}"),
    };
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "exiftool's answer is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let mut tags = parsed[0].as_object().unwrap().clone();
    for own in ["SourceFile", "System:FileName", "System:Directory"] {
        tags.remove(own);
    }
    Some(tags)
}

/// The identifying tags exiftool finds: GPS of any kind, and `FORBIDDEN_TAGS`.
fn identifying(tags: &serde_json::Map<String, serde_json::Value>) -> Vec<String> {
    tags.iter()
        .filter(|(key, value)| {
            let (group, tag) = key.split_once(':').unwrap_or(("", key));
            group == "GPS"
                || tag.starts_with("GPS")
                || FORBIDDEN_TAGS.contains(&tag)
                || group.starts_with("MPF")
                || value.to_string().contains(MARK)
        })
        .map(|(key, value)| format!("{key} = {value}"))
        .collect()
}

fn require_exiftool() -> bool {
    if Command::new("exiftool").arg("-ver").output().is_ok() {
        return true;
    }
    assert!(
        std::env::var_os("WARD_REQUIRE_EXIFTOOL").is_none(),
        "exiftool is required here (WARD_REQUIRE_EXIFTOOL is set) but not installed"
    );
    eprintln!(
        "SKIPPED: the exiftool checks of hostile uploads (install libimage-exiftool-perl); the byte checks still ran"
    );
    false
}

/// Sends a file with a report and reads it back as an analyst would.
async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> (String, String, Vec<u8>) {
    let report = sample_report("The file shows the hotel corridor");
    let r = app.post_report_with_file(&report, name, bytes).await;
    let opened = app.open_created(r).await;
    let (meta, bytes) = &opened.attachments[0];
    (
        meta.file_name.clone(),
        meta.content_type.clone(),
        bytes.to_vec(),
    )
}

#[tokio::test]
async fn hostile_uploads_keep_nothing_that_identifies_anyone() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let with_exiftool = require_exiftool();
    let corpus: Vec<(&str, Vec<u8>, &str, &str)> = vec![
        (
            "IMG_1001.JPG",
            jpeg_with_second_image(),
            "IMG_1001.jpg",
            "image/jpeg",
        ),
        (
            "DSC_0042.jpg",
            jpeg_with_trailer(),
            "DSC_0042.jpg",
            "image/jpeg",
        ),
        (
            "scan.jpeg",
            progressive_jpeg_with_comments(),
            "scan.jpg",
            "image/jpeg",
        ),
        (
            "holiday.jpg",
            jpeg_zip_polyglot(),
            "holiday.jpg",
            "image/jpeg",
        ),
        (
            "screenshot.png",
            png_with_every_chunk(),
            "screenshot.png",
            "image/png",
        ),
        (
            "photo.webp",
            webp_with_exif_and_xmp(),
            "photo.webp",
            "image/webp",
        ),
        (
            "booking.pdf",
            active_pdf(),
            "booking.pdf",
            "application/pdf",
        ),
    ];
    for (name, original, stored_name, content_type) in corpus {
        // The corpus really carries what is looked for (a control for each file).
        assert!(find(&original, MARK.as_bytes(), 0).is_some(), "{name}");
        if with_exiftool && name != "holiday.jpg" {
            let before = exiftool(&original).unwrap();
            assert!(
                !identifying(&before).is_empty(),
                "{name}: exiftool sees nothing to remove in the original: {before:?}"
            );
        }

        let (file_name, stored_type, stored) = upload(&app, name, original.clone()).await;
        assert_eq!(
            (file_name.as_str(), stored_type.as_str()),
            (stored_name, content_type)
        );
        assert_eq!(
            find(&stored, MARK.as_bytes(), 0),
            None,
            "{name}: a marker survived: {}",
            String::from_utf8_lossy(&stored)
                .split(MARK)
                .nth(1)
                .unwrap_or("")
                .chars()
                .take(40)
                .collect::<String>()
        );
        if with_exiftool {
            let after = exiftool(&stored).unwrap();
            assert_eq!(identifying(&after), Vec::<String>::new(), "{name}");
            assert!(
                !after
                    .keys()
                    .any(|k| k.contains("Warning") || k.contains("Error")),
                "{name}: exiftool finds the cleaned file damaged: {after:?}"
            );
        }
        // The picture itself is untouched.
        if content_type.starts_with("image/") {
            let before = image::load_from_memory(&original).unwrap().to_rgba8();
            let after = image::load_from_memory(&stored).unwrap().to_rgba8();
            assert!(before == after, "{name}: the picture changed");
        } else {
            assert_clean_pdf(&stored);
        }
    }
}

/// The cleaned PDF still shows its page and holds nothing active.
fn assert_clean_pdf(bytes: &[u8]) {
    let doc = Document::load_mem(bytes).expect("the cleaned PDF reads");
    let page = *doc.get_pages().values().next().unwrap();
    assert!(find(&doc.get_page_content(page), b"Room 312", 0).is_some());
    let active_keys: [&[u8]; 8] = [
        b"JS",
        b"JavaScript",
        b"OpenAction",
        b"AA",
        b"EmbeddedFiles",
        b"EF",
        b"XFA",
        b"URI",
    ];
    let dictionaries = doc.objects.values().filter_map(|o| match o {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    });
    for dict in dictionaries {
        for key in active_keys {
            assert!(
                dict.get(key).is_err(),
                "{} is still there",
                String::from_utf8_lossy(key)
            );
        }
        let action = dict.get(b"S").and_then(Object::as_name).unwrap_or(b"");
        assert!(
            !matches!(action, b"Launch" | b"URI" | b"SubmitForm" | b"JavaScript"),
            "a {} action is still there",
            String::from_utf8_lossy(action)
        );
        if let Ok(annotation) = dict.get(b"Subtype").and_then(Object::as_name) {
            assert_ne!(annotation, b"FileAttachment");
        }
    }
}

#[tokio::test]
async fn files_are_named_after_their_detected_type() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let html =
        b"<html><body><script>document.location='https://example.invalid'</script></body></html>";
    for (name, bytes, expected) in [
        ("evidence.hta", &b"Start-Process calc"[..], "evidence.txt"),
        ("page.html", &html[..], "page.txt"),
        ("invoice.pdf.exe", &b"plain words"[..], "invoice.pdf.txt"),
        ("..", &b"plain words"[..], "file.txt"),
    ] {
        let (file_name, content_type, stored) = upload(&app, name, bytes.to_vec()).await;
        assert_eq!(file_name, expected, "{name}");
        assert_eq!(content_type, "text/plain; charset=utf-8");
        assert_eq!(stored, bytes, "text is kept as it was written");
    }
}
