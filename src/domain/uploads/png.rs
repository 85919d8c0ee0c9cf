//! PNG files keep the chunks that draw the picture.
//!
//! Text chunks (`tEXt`, `zTXt`, `iTXt`: author, software, sometimes a GPS
//! position), `eXIf`, `tIME` and any private chunk can say who made a
//! picture, where and when. Only the chunks listed in `DRAWING` are kept,
//! up to `IEND`; whatever follows `IEND` is dropped.

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Chunks that decoding or colour need (animated PNG included).
const DRAWING: [&[u8; 4]; 18] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB",
    b"cICP", b"mDCV", b"cLLI", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT",
];

/// Rewrites a PNG with its drawing chunks only; `None` when it is damaged.
pub fn strip(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut at = SIGNATURE.len();
    if bytes.get(..at)? != SIGNATURE {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(SIGNATURE);
    let mut first = true;
    loop {
        let length = u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize;
        // Length, type, data and CRC.
        let chunk = bytes.get(at..at.checked_add(12)?.checked_add(length)?)?;
        let kind: &[u8; 4] = chunk[4..8].try_into().ok()?;
        at += chunk.len();
        if first && kind != b"IHDR" {
            return None;
        }
        first = false;
        if DRAWING.contains(&kind) {
            out.extend_from_slice(chunk);
        }
        if kind == b"IEND" {
            return Some(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = (data.len() as u32).to_be_bytes().to_vec();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&[0; 4]);
        out
    }

    #[test]
    fn only_drawing_chunks_up_to_the_end_remain() {
        let mut file = SIGNATURE.to_vec();
        file.extend(chunk(b"IHDR", &[0; 13]));
        file.extend(chunk(b"tEXt", b"Author\0SyntheticAuthor"));
        file.extend(chunk(b"prVt", b"SyntheticPrivate"));
        file.extend(chunk(b"IDAT", b"pixels"));
        file.extend(chunk(b"tIME", &[7; 7]));
        file.extend(chunk(b"IEND", b""));
        file.extend(b"PK\x03\x04SyntheticArchive");
        let clean = strip(&file).unwrap();
        let mut expected = SIGNATURE.to_vec();
        expected.extend(chunk(b"IHDR", &[0; 13]));
        expected.extend(chunk(b"IDAT", b"pixels"));
        expected.extend(chunk(b"IEND", b""));
        assert_eq!(clean, expected);
    }

    #[test]
    fn damaged_files_are_refused() {
        let mut file = SIGNATURE.to_vec();
        file.extend(chunk(b"IHDR", &[0; 13]));
        assert_eq!(strip(&file), None, "no IEND");
        let mut huge = SIGNATURE.to_vec();
        huge.extend(u32::MAX.to_be_bytes());
        huge.extend(b"IHDR");
        assert_eq!(strip(&huge), None);
        let mut late = SIGNATURE.to_vec();
        late.extend(chunk(b"IDAT", b""));
        late.extend(chunk(b"IEND", b""));
        assert_eq!(strip(&late), None, "IHDR must come first");
    }
}
