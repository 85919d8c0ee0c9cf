//! WebP files keep the chunks that draw the picture.
//!
//! A WebP is a RIFF container: `EXIF` and `XMP ` chunks (and any unknown
//! one) can carry a camera's and a person's details. Only the chunks listed
//! in `DRAWING` are kept, the extended header's flags are corrected to say
//! there is no EXIF or XMP, and nothing after the RIFF container survives.

/// Chunks that decoding, transparency, animation and colour need.
const DRAWING: [&[u8; 4]; 7] = [
    b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP",
];
/// Flags of the extended header (`VP8X`) that announce EXIF and XMP chunks.
const EXIF_FLAG: u8 = 0x08;
const XMP_FLAG: u8 = 0x04;

/// Rewrites a WebP with its drawing chunks only; `None` when it is damaged.
pub fn strip(bytes: &[u8]) -> Option<Vec<u8>> {
    if bytes.get(..4)? != b"RIFF" || bytes.get(8..12)? != b"WEBP" {
        return None;
    }
    let size = u32::from_le_bytes(bytes[4..8].try_into().ok()?) as usize;
    let riff = bytes.get(12..size.checked_add(8)?)?;
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(b"RIFF\0\0\0\0WEBP");
    let mut at = 0;
    let mut picture = false;
    while at < riff.len() {
        let kind: &[u8; 4] = riff.get(at..at + 4)?.try_into().ok()?;
        let length = u32::from_le_bytes(riff.get(at + 4..at + 8)?.try_into().ok()?) as usize;
        let padded = length.checked_add(length % 2)?;
        let chunk = riff.get(at..at.checked_add(8)?.checked_add(padded)?)?;
        at += chunk.len();
        if !DRAWING.contains(&kind) {
            continue;
        }
        picture |= matches!(kind, b"VP8 " | b"VP8L" | b"ANMF");
        let start = out.len();
        out.extend_from_slice(chunk);
        if kind == b"VP8X" {
            *out.get_mut(start + 8)? &= !(EXIF_FLAG | XMP_FLAG);
        }
    }
    let size = u32::try_from(out.len() - 8).ok()?;
    out[4..8].copy_from_slice(&size.to_le_bytes());
    picture.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = kind.to_vec();
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
        if data.len() % 2 == 1 {
            out.push(0);
        }
        out
    }

    fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body = chunks.concat();
        let mut out = b"RIFF".to_vec();
        out.extend_from_slice(&((body.len() + 4) as u32).to_le_bytes());
        out.extend_from_slice(b"WEBP");
        out.extend(body);
        out
    }

    #[test]
    fn exif_xmp_and_unknown_chunks_go_and_the_flags_say_so() {
        let header = [EXIF_FLAG | XMP_FLAG | 0x10, 0, 0, 0, 7, 0, 0, 7, 0, 0];
        let file = [
            riff(&[
                chunk(b"VP8X", &header),
                chunk(b"ALPH", b"alpha"),
                chunk(b"VP8 ", b"frame"),
                chunk(b"EXIF", b"SyntheticCameraMaker"),
                chunk(b"XMP ", b"<x:xmpmeta>SyntheticAuthor"),
                chunk(b"zzzz", b"SyntheticPrivate"),
            ]),
            b"appended SyntheticTrailer".to_vec(),
        ]
        .concat();
        let clean = strip(&file).unwrap();
        let expected = riff(&[
            chunk(b"VP8X", &[0x10, 0, 0, 0, 7, 0, 0, 7, 0, 0]),
            chunk(b"ALPH", b"alpha"),
            chunk(b"VP8 ", b"frame"),
        ]);
        assert_eq!(clean, expected);
    }

    #[test]
    fn damaged_files_are_refused() {
        let whole = riff(&[chunk(b"VP8 ", b"frame")]);
        assert!(strip(&whole).is_some());
        assert_eq!(strip(&whole[..whole.len() - 2]), None);
        assert_eq!(strip(&riff(&[chunk(b"EXIF", b"x")])), None, "no picture");
        let mut lying = whole.clone();
        lying[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(strip(&lying), None);
    }
}
