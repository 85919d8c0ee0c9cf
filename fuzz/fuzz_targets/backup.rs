//! The backup reader: a gzip stream as given, or a tar stream compressed
//! first so that the tar reader and the manifest checks are reached.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    if input.starts_with(&[0x1f, 0x8b]) {
        let _ = ward::backup::verify_reader(input);
    } else {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(input).expect("in memory");
        let _ = ward::backup::verify_reader(&gz.finish().expect("in memory")[..]);
    }
});
