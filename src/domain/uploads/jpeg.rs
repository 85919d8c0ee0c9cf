//! JPEG files keep their primary image only.
//!
//! A phone's JPEG carries far more than the picture: EXIF (camera make and
//! model, serial numbers, GPS position, times), XMP and IPTC blocks,
//! comments, a second image after the first (MPF, often with its own EXIF),
//! maker trailers and anything appended after the end of the image. This
//! walks the file marker by marker and writes a new one with what decoding
//! needs (tables, frame, scans, restart intervals, the JFIF header without
//! its thumbnail, the ICC colour profile and Adobe's colour transform), up
//! to the first end-of-image marker, and nothing else.

/// Markers without a length field.
const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const TEM: u8 = 0x01;
const APP0: u8 = 0xE0;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;

fn is_restart(marker: u8) -> bool {
    (0xD0..=0xD7).contains(&marker)
}

/// Frame headers (SOF0 to SOF15, less DHT, JPG and DAC, which share the range).
fn is_frame(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// Segments decoding needs: tables (DHT, DAC, DQT), restart interval (DRI),
/// number of lines (DNL), hierarchical progression (DHP, EXP) and frames.
fn is_decoding(marker: u8) -> bool {
    is_frame(marker) || matches!(marker, 0xC4 | 0xCC | 0xDB | 0xDC | 0xDD | 0xDE | 0xDF)
}

/// Rewrites a JPEG with its primary image only; `None` when it is damaged.
pub fn strip(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, SOI]);
    let mut at = 2;
    let (mut frame, mut scan) = (false, false);
    loop {
        // A marker, after any number of fill bytes.
        if *bytes.get(at)? != 0xFF {
            return None;
        }
        while *bytes.get(at)? == 0xFF {
            at += 1;
        }
        let marker = bytes[at];
        at += 1;
        match marker {
            EOI => {
                // Whatever follows (a second image, a trailer, a ZIP archive) is dropped.
                out.extend_from_slice(&[0xFF, EOI]);
                return (frame && scan).then_some(out);
            }
            SOI | TEM | 0x00 => return None,
            m if is_restart(m) => return None,
            _ => {}
        }
        let length = usize::from(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]));
        if length < 2 {
            return None;
        }
        let segment = bytes.get(at..at + length)?;
        let contents = &segment[2..];
        at += length;
        match marker {
            SOS => {
                if !frame {
                    return None;
                }
                scan = true;
                out.extend_from_slice(&[0xFF, marker]);
                out.extend_from_slice(segment);
                let data = entropy_coded(&bytes[at..]);
                out.extend_from_slice(data);
                at += data.len();
            }
            m if is_decoding(m) => {
                frame |= is_frame(m);
                out.extend_from_slice(&[0xFF, marker]);
                out.extend_from_slice(segment);
            }
            APP0 if contents.starts_with(b"JFIF\0") && contents.len() >= 14 => {
                // Version, units and density; the thumbnail (if any) is left out.
                out.extend_from_slice(&[0xFF, APP0, 0, 16]);
                out.extend_from_slice(&contents[..12]);
                out.extend_from_slice(&[0, 0]);
            }
            APP2 if contents.starts_with(b"ICC_PROFILE\0") => {
                out.extend_from_slice(&[0xFF, marker]);
                out.extend_from_slice(segment);
            }
            APP14 if contents.starts_with(b"Adobe") => {
                out.extend_from_slice(&[0xFF, marker]);
                out.extend_from_slice(segment);
            }
            // Every other application segment (EXIF, XMP, MPF, IPTC,
            // Photoshop, makers' own), comments and reserved markers.
            _ => {}
        }
    }
}

/// The entropy-coded data after a scan header: everything up to the next
/// marker that is neither a stuffed zero nor a restart marker.
fn entropy_coded(data: &[u8]) -> &[u8] {
    let mut at = 0;
    while let Some(offset) = data[at..].iter().position(|&b| b == 0xFF) {
        let ff = at + offset;
        match data.get(ff + 1) {
            Some(0x00) => at = ff + 2,
            Some(&m) if is_restart(m) => at = ff + 2,
            _ => return &data[..ff],
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(marker: u8, contents: &[u8]) -> Vec<u8> {
        let mut out = vec![0xFF, marker];
        out.extend_from_slice(&((contents.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(contents);
        out
    }

    /// A skeleton JPEG: enough structure for the walker, not a decodable picture.
    fn skeleton(between_scans: &[u8], after: &[u8]) -> Vec<u8> {
        let mut file = vec![0xFF, SOI];
        file.extend(segment(0xE1, b"Exif\0\0SyntheticCameraMaker"));
        file.extend(segment(0xDB, &[0; 65]));
        file.extend(segment(0xC2, &[8, 0, 16, 0, 16, 1, 1, 0x11, 0]));
        file.extend(segment(SOS, &[1, 1, 0, 0, 63, 0]));
        file.extend([0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56]);
        file.extend(between_scans);
        file.extend(segment(SOS, &[1, 1, 0, 1, 63, 0]));
        file.extend([0x78, 0x9A]);
        file.extend([0xFF, EOI]);
        file.extend(after);
        file
    }

    #[test]
    fn comments_between_scans_and_data_after_the_image_go() {
        let comment = segment(0xFE, b"SyntheticComment");
        let second = [
            &[0xFF, SOI][..],
            &segment(0xE1, b"Exif\0\0SyntheticGps"),
            &[0xFF, EOI],
        ]
        .concat();
        let clean = strip(&skeleton(&comment, &second)).unwrap();
        let text = String::from_utf8_lossy(&clean);
        assert!(!text.contains("Synthetic"), "{text}");
        assert_eq!(clean, strip(&skeleton(&[], &[])).unwrap());
        // The scans, with their stuffed bytes and restart markers, are intact.
        assert!(
            clean
                .windows(7)
                .any(|w| w == [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56])
        );
        assert!(clean.ends_with(&[0x78, 0x9A, 0xFF, EOI]));
    }

    #[test]
    fn the_jfif_thumbnail_goes() {
        let mut jfif = b"JFIF\0\x01\x02\x01\x00\x48\x00\x48\x02\x01".to_vec();
        jfif.extend([0xAB; 6]); // a 2×1 RGB thumbnail
        let file = [
            &[0xFF, SOI][..],
            &segment(APP0, &jfif),
            &skeleton(&[], &[])[2..],
        ]
        .concat();
        let clean = strip(&file).unwrap();
        assert!(clean.starts_with(&[0xFF, SOI, 0xFF, APP0, 0, 16, b'J']));
        assert!(!clean.windows(6).any(|w| w == [0xAB; 6]));
    }

    #[test]
    fn damaged_files_are_refused() {
        let whole = skeleton(&[], &[]);
        for cut in [3, 10, 30] {
            assert_eq!(strip(&whole[..cut]), None, "cut at {cut}");
        }
        // No frame, or a scan before the frame.
        assert_eq!(strip(&[0xFF, SOI, 0xFF, EOI]), None);
        let mut no_frame = vec![0xFF, SOI];
        no_frame.extend(segment(SOS, &[1, 1, 0, 0, 63, 0]));
        no_frame.extend([0xFF, EOI]);
        assert_eq!(strip(&no_frame), None);
        // A length that runs past the end.
        assert_eq!(strip(&[0xFF, SOI, 0xFF, 0xE1, 0xFF, 0xFF, 0]), None);
    }
}
