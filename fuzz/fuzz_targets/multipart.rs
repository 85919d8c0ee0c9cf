//! Multipart forms of the public site and the intake API, files spooled to
//! a data directory of the fuzzer's own.
#![no_main]

use std::sync::OnceLock;

use axum::extract::FromRequest;
use libfuzzer_sys::fuzz_target;
use ward::config::Settings;
use ward::domain::uploads::Spool;

struct Place {
    runtime: tokio::runtime::Runtime,
    settings: Settings,
    spool: Spool,
    _dir: tempfile::TempDir,
}

fn place() -> &'static Place {
    static PLACE: OnceLock<Place> = OnceLock::new();
    PLACE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let settings = Settings {
            data_dir: dir.path().to_path_buf(),
            ..Settings::default()
        };
        std::fs::create_dir_all(settings.spool_dir()).expect("a spool folder");
        let spool = Spool::new(settings.spool_dir(), 64 * 1024 * 1024);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        Place {
            runtime,
            settings,
            spool,
            _dir: dir,
        }
    })
}

fuzz_target!(|input: &[u8]| {
    let place = place();
    let request = axum::http::Request::builder()
        .method("POST")
        .header("content-type", "multipart/form-data; boundary=B")
        .body(axum::body::Body::from(input.to_vec()))
        .expect("a request");
    place.runtime.block_on(async {
        if let Ok(multipart) = axum::extract::Multipart::from_request(request, &()).await {
            let _ = ward::web::form::FormData::read(multipart, &place.settings, &place.spool, None)
                .await;
        }
    });
});
