//! The referral document as a PDF for people: A4 pages of plain text in
//! the standard Helvetica (no font to embed, nothing fetched). Helvetica
//! covers Western European letters only; other characters print as `?`,
//! and the PDF then says that the JSON document holds the exact text.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use pdf_canvas::{BuiltinFont, Pdf};

use super::document::{ReferralDocument, label};
use crate::domain::DomainResult;
use crate::i18n::country_name;

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
const SIZE: f32 = 10.0;
const LEADING: f32 = 14.0;
/// Characters per line of body text (Helvetica at 10 pt on the page's width).
const LINE_CHARS: usize = 92;

/// A line of the document: a heading or body text.
enum Line {
    Title(String),
    Heading(String),
    Text(String),
    Gap,
}

/// The lines of a referral, in reading order.
fn lines(doc: &ReferralDocument) -> Vec<Line> {
    use Line::{Gap, Heading, Text, Title};
    let case = &doc.case;
    let a = &case.assessment;
    let optional = |prefix: &str, code: &Option<String>| {
        code.as_deref()
            .map_or_else(|| "not assessed".to_string(), |c| label(prefix, c))
    };
    let mut out = vec![
        Title(format!("Referral of report {}", case.reference)),
        Text(format!(
            "From: {} ({})",
            doc.from.name,
            country_name("en", &doc.from.country)
        )),
        Text(format!(
            "To: {} ({}, {})",
            doc.to.name,
            doc.to.kind,
            country_name("en", &doc.to.country)
        )),
        Text(format!(
            "Referral: {}, {}",
            doc.referral.id, doc.referral.created_at
        )),
        Gap,
        Heading("The case".into()),
        Text(format!("Report received: {}", case.received_at)),
        Text(format!("Category: {}", label("cat-", &case.category))),
        Text(format!(
            "Country of the incident: {}",
            country_name("en", &case.country)
        )),
        Text(format!("Language of the report: {}", case.language)),
        Text(format!(
            "Legal assessment: {}",
            optional("legal-", &a.legal)
        )),
    ];
    if a.classification.is_some() || a.age_band.is_some() || a.gender.is_some() {
        out.push(Text(format!(
            "Classification: {}; apparent age of the youngest child: {}; gender: {}",
            optional("class-", &a.classification),
            optional("age-", &a.age_band),
            optional("gender-", &a.gender)
        )));
    }
    out.push(Text(format!(
        "Priority: {}{}",
        a.priority,
        if a.urgent { ", URGENT" } else { "" }
    )));
    out.push(Gap);
    out.push(Heading("Summary by the hotline".into()));
    out.extend(doc.summary.lines().map(|l| Text(l.to_string())));
    out.push(Gap);
    out.push(Heading("What the reporter told the hotline".into()));
    for (page, answers) in doc.answer_groups() {
        if let Some(page) = page {
            out.push(Text(format!("[{page}]")));
        }
        for answer in answers {
            out.push(Text(format!(
                "{}: {}",
                answer.question,
                answer.text.join("; ")
            )));
        }
    }
    out.push(Gap);
    out.push(Heading("Contact".into()));
    out.push(Text(match &doc.contact {
        Some(c) => [c.email.clone(), c.phone.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        None => "The reporter's contact details are not part of this referral.".into(),
    }));
    out.push(Gap);
    out.push(Heading("Files".into()));
    if doc.attachments.is_empty() {
        out.push(Text("No file comes with this referral.".into()));
    }
    for f in &doc.attachments {
        out.push(Text(format!(
            "{} ({}, {} bytes, SHA-256 {})",
            f.file_name, f.content_type, f.size, f.sha256
        )));
    }
    out
}

/// Breaks a line into lines of at most `LINE_CHARS` characters, at spaces where it can.
fn wrap(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let mut word = word.to_string();
        while word.chars().count() > LINE_CHARS {
            let head: String = word.chars().take(LINE_CHARS).collect();
            word = word.chars().skip(LINE_CHARS).collect();
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            out.push(head);
        }
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > LINE_CHARS {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    out.push(line);
    out
}

/// Whether Helvetica (WinAnsi) can print every character.
fn printable(text: &str) -> bool {
    text.chars().all(|c| {
        (' '..='~').contains(&c) || ('\u{a0}'..='\u{ff}').contains(&c) || "€–—‘’“”•…".contains(c)
    })
}

/// Renders the document as a PDF.
pub fn render(doc: &ReferralDocument) -> DomainResult<Vec<u8>> {
    let mut all = lines(doc);
    let lossy = all.iter().any(|l| match l {
        Line::Title(t) | Line::Heading(t) | Line::Text(t) => !printable(t),
        Line::Gap => false,
    });
    if lossy {
        all.push(Line::Gap);
        all.push(Line::Text(
            "Some text uses characters this PDF cannot show (printed as ?): the JSON document of this referral holds it exactly.".into(),
        ));
    }
    // Lay the lines out on pages.
    let mut pages: Vec<Vec<(f32, BuiltinFont, f32, String)>> = vec![Vec::new()];
    let mut y = HEIGHT - MARGIN;
    for line in all {
        let (font, size, texts, before) = match line {
            Line::Title(t) => (BuiltinFont::Helvetica_Bold, 16.0, vec![t], 0.0),
            Line::Heading(t) => (BuiltinFont::Helvetica_Bold, 12.0, vec![t], 4.0),
            Line::Text(t) => (BuiltinFont::Helvetica, SIZE, wrap(&t), 0.0),
            Line::Gap => {
                y -= LEADING / 2.0;
                continue;
            }
        };
        y -= before;
        for text in texts {
            if y < MARGIN {
                pages.push(Vec::new());
                y = HEIGHT - MARGIN;
            }
            pages
                .last_mut()
                .expect("a page")
                .push((y, font, size, text));
            y -= if size > SIZE { size + 6.0 } else { LEADING };
        }
    }
    let total = pages.len();
    let file = memory_file().map_err(crate::vault::VaultError::Io)?;
    let mut pdf = Pdf::new(file.try_clone().map_err(crate::vault::VaultError::Io)?)
        .map_err(crate::vault::VaultError::Io)?;
    pdf.set_title(&format!("Referral of report {}", doc.case.reference));
    pdf.set_producer("Ward");
    for (n, page) in pages.into_iter().enumerate() {
        pdf.render_page(WIDTH, HEIGHT, |canvas| {
            for (y, font, size, text) in &page {
                canvas.left_text(MARGIN, *y, *font, *size, text)?;
            }
            canvas.right_text(
                WIDTH - MARGIN,
                MARGIN / 2.0,
                BuiltinFont::Helvetica,
                8.0,
                &format!("{} - page {} of {total}", doc.case.reference, n + 1),
            )
        })
        .map_err(crate::vault::VaultError::Io)?;
    }
    pdf.finish().map_err(crate::vault::VaultError::Io)?;
    let mut bytes = Vec::new();
    let mut file = file;
    file.seek(SeekFrom::Start(0))
        .and_then(|_| file.read_to_end(&mut bytes))
        .map_err(crate::vault::VaultError::Io)?;
    Ok(bytes)
}

/// A file that lives in memory only (`memfd_create`): the PDF writer needs a
/// `File`, and the referral's clear text must never reach a disk, not even
/// the system's temporary folder.
fn memory_file() -> std::io::Result<File> {
    use rustix::fs::{MemfdFlags, memfd_create};
    let fd = memfd_create("ward-referral-pdf", MemfdFlags::CLOEXEC)?;
    Ok(File::from(fd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_wrap_and_foreign_scripts_are_flagged() {
        let long = "word ".repeat(60);
        let wrapped = wrap(long.trim());
        assert!(wrapped.len() >= 3 && wrapped.iter().all(|l| l.chars().count() <= LINE_CHARS));
        assert_eq!(wrap(&"x".repeat(200)).len(), 3);
        assert!(printable("Hôtel Sol, room 312 – €"));
        assert!(!printable("โรงแรม"));
    }
}
