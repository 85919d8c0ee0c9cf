//! The referral package: the PDF, the JSON document and the chosen files,
//! as one ZIP archive (for delivery by hand and downloads from the portal)
//! or as the parts of an e-mail.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

use super::document::ReferralDocument;
use super::pdf;
use crate::domain::{DomainError, DomainResult};

/// One file of a package: its name in the package and its bytes.
pub struct PackageFile {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Every file of a referral: `referral.pdf`, `referral.json`, then the files.
pub fn files(
    doc: &ReferralDocument,
    attachments: Vec<(String, String, Vec<u8>)>,
) -> DomainResult<Vec<PackageFile>> {
    let json = serde_json::to_vec_pretty(doc)
        .map_err(|e| DomainError::Delivery(format!("the referral document: {e}")))?;
    let mut out = vec![
        PackageFile {
            name: "referral.pdf".into(),
            content_type: "application/pdf".into(),
            bytes: pdf::render(doc)?,
        },
        PackageFile {
            name: "referral.json".into(),
            content_type: "application/json".into(),
            bytes: json,
        },
    ];
    let mut taken = Vec::new();
    for (name, content_type, bytes) in attachments {
        let name = unique(&mut taken, &safe_name(&name));
        out.push(PackageFile {
            name: format!("files/{name}"),
            content_type,
            bytes,
        });
    }
    Ok(out)
}

/// A ZIP archive of the files.
pub fn zip(files: &[PackageFile]) -> DomainResult<Vec<u8>> {
    let failed = |e: zip::result::ZipError| DomainError::Delivery(format!("the package: {e}"));
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for file in files {
        archive
            .start_file(&file.name, SimpleFileOptions::default())
            .map_err(failed)?;
        archive
            .write_all(&file.bytes)
            .map_err(|e| DomainError::Delivery(format!("the package: {e}")))?;
    }
    Ok(archive.finish().map_err(failed)?.into_inner())
}

/// A file name that is safe in an archive and on any file system.
fn safe_name(name: &str) -> String {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "._- ".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = name.trim_matches(|c: char| c == '.' || c.is_whitespace());
    if name.is_empty() {
        "file".into()
    } else {
        name.chars().take(100).collect()
    }
}

/// The name, or the name with a number, so that no two files share one.
fn unique(taken: &mut Vec<String>, name: &str) -> String {
    let mut candidate = name.to_string();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = format!("{n}-{name}");
        n += 1;
    }
    taken.push(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_safe_and_unique() {
        assert_eq!(super::safe_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(super::safe_name("..."), "file");
        let mut taken = Vec::new();
        assert_eq!(super::unique(&mut taken, "a.png"), "a.png");
        assert_eq!(super::unique(&mut taken, "a.png"), "2-a.png");
    }
}
