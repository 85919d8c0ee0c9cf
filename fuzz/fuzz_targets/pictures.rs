//! The picture cleaners (JPEG, PNG, WebP): whatever comes out is of the
//! type it was detected as. PDFs are cleaned in a child process with
//! limits, tested in tests/api/hostile_files.rs.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
    })
}

fuzz_target!(|input: &[u8]| {
    if input.starts_with(b"%PDF-") {
        return;
    }
    if let Ok(clean) = runtime().block_on(ward::domain::uploads::prepare("p", input.to_vec())) {
        let kind = ward::domain::uploads::sniff(&clean.bytes).expect("a known type");
        assert_eq!(kind, clean.kind);
    }
});
