//! Fuzzing of every parser that takes outside input, with arbitrary and
//! mutated inputs from a fixed seed: the intake JSON (and the
//! questionnaire's checks behind it), multipart forms, questionnaire files,
//! configuration (file and environment), the backup reader, and the
//! picture cleaners. Each target must answer every input with a value or an
//! error, never a panic; a failing input is written to
//! `tests/fuzz-regressions/<target>/` to be kept as a regression case, and
//! every file there is run again first.
//!
//! The suite runs `WARD_FUZZ_CASES` cases per target (2,000 by default);
//! the recorded runs (docs/RELIABILITY.md) use a million:
//! `WARD_FUZZ_CASES=1000000 cargo test --release --test fuzz -- --nocapture`.
//! The same parsers are also fuzzed with coverage guidance (libFuzzer,
//! `fuzz/run`); what that finds is kept in `tests/fuzz-regressions/` too,
//! so this suite replays it on every run.

use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

fn cases() -> usize {
    std::env::var("WARD_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}

fn regressions(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(target)
}

/// Runs `check` on the kept regression inputs, then on `cases()` inputs
/// from `generate`; a panic saves its input and fails the test.
fn fuzz(target: &str, seeds: &[Vec<u8>], check: impl Fn(&[u8]) -> bool) {
    fuzz_with(target, |rng| generate(rng, seeds), check);
}

/// [`fuzz`] with inputs from `generate`.
fn fuzz_with(
    target: &str,
    mut generate: impl FnMut(&mut StdRng) -> Vec<u8>,
    check: impl Fn(&[u8]) -> bool,
) {
    let kept = regressions(target);
    if let Ok(entries) = std::fs::read_dir(&kept) {
        for entry in entries.flatten() {
            check(&std::fs::read(entry.path()).unwrap());
        }
    }
    let mut rng = StdRng::seed_from_u64(20_261_130 ^ target.len() as u64);
    let n = cases();
    let started = std::time::Instant::now();
    let mut accepted = 0;
    for case in 0..n {
        let input = generate(&mut rng);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&input)));
        if matches!(outcome, Ok(true)) {
            accepted += 1;
        }
        if outcome.is_err() {
            std::fs::create_dir_all(&kept).unwrap();
            let name = format!("case-{case}-{:016x}", rng.r#gen::<u64>());
            std::fs::write(kept.join(&name), &input).unwrap();
            panic!(
                "{target}: input {case} panicked; kept as tests/fuzz-regressions/{target}/{name}"
            );
        }
    }
    let _ = writeln!(
        std::io::stderr(),
        "fuzz {target}: {n} cases ({accepted} accepted whole), no panic, {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

/// An input: random bytes, or a seed changed by a few mutations.
fn generate(rng: &mut StdRng, seeds: &[Vec<u8>]) -> Vec<u8> {
    if seeds.is_empty() || rng.gen_ratio(1, 10) {
        let len = rng.gen_range(0..512);
        return (0..len).map(|_| rng.r#gen()).collect();
    }
    let mut input = seeds[rng.gen_range(0..seeds.len())].clone();
    for _ in 0..rng.gen_range(1..=6) {
        mutate(rng, &mut input, seeds);
    }
    input
}

fn mutate(rng: &mut StdRng, input: &mut Vec<u8>, seeds: &[Vec<u8>]) {
    const SPECIAL: [u8; 10] = [0x00, 0xff, 0x7f, 0x80, b'"', b'{', b'}', b'\\', b'\n', b'-'];
    let len = input.len();
    match rng.gen_range(0..8) {
        0 if len > 0 => {
            let i = rng.gen_range(0..len);
            input[i] ^= 1 << rng.gen_range(0..8);
        }
        1 if len > 0 => {
            let i = rng.gen_range(0..len);
            input[i] = SPECIAL[rng.gen_range(0..SPECIAL.len())];
        }
        2 => {
            let i = rng.gen_range(0..=len);
            let extra: Vec<u8> = (0..rng.gen_range(1..16)).map(|_| rng.r#gen()).collect();
            input.splice(i..i, extra);
        }
        3 if len > 0 => {
            let start = rng.gen_range(0..len);
            let end = rng.gen_range(start..=len.min(start + 64));
            input.drain(start..end);
        }
        4 if len > 0 => {
            // Repeat a piece (lengths, nesting, duplicated chunks).
            let start = rng.gen_range(0..len);
            let end = rng.gen_range(start..=len.min(start + 32));
            let piece = input[start..end].to_vec();
            let at = rng.gen_range(0..=input.len());
            input.splice(at..at, piece);
        }
        5 if len > 0 => input.truncate(rng.gen_range(0..len)),
        6 => {
            // Splice the tail of another seed.
            let other = &seeds[rng.gen_range(0..seeds.len())];
            if !other.is_empty() && len > 0 {
                let cut = rng.gen_range(0..len);
                let from = rng.gen_range(0..other.len());
                input.truncate(cut);
                input.extend_from_slice(&other[from..]);
            }
        }
        _ if len >= 4 => {
            // A big number where a length or count may be.
            let i = rng.gen_range(0..len - 3);
            input[i..i + 4].copy_from_slice(&rng.r#gen::<u32>().to_be_bytes());
        }
        _ => input.push(rng.r#gen()),
    }
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
    })
}

fn questionnaires() {
    static LOADED: OnceLock<()> = OnceLock::new();
    LOADED.get_or_init(|| ward::domain::questionnaire::load(None).unwrap());
}

#[test]
fn intake_json() {
    questionnaires();
    let seeds: Vec<Vec<u8>> = [
        serde_json::json!({"category": "travel-tourism", "country": "LU", "language": "en",
            "answers": {"description": "Seen at the hotel bar", "place_type": "hotel", "children_count": 2},
            "contact": {"email": "a@example.org", "phone": "+352 123", "may_contact": true},
            "reporter_country": "FR"}),
        serde_json::json!({"category": "abuse-material", "country": "DE", "language": "de",
            "answers": {"description": "A link", "url": "https://example.org/x"}}),
        serde_json::json!({"category": "other", "country": "PT", "language": "pt", "answers": {}}),
    ]
    .iter()
    .map(|v| v.to_string().into_bytes())
    .collect();
    let values: Vec<serde_json::Value> = seeds
        .iter()
        .map(|s| serde_json::from_slice(s).unwrap())
        .collect();
    let generator = |rng: &mut StdRng| {
        // Half the inputs are well-formed JSON with fields changed, so that
        // the checks behind the parser are reached too.
        if rng.gen_bool(0.5) {
            return generate(rng, &seeds);
        }
        let mut value = values[rng.gen_range(0..values.len())].clone();
        for _ in 0..rng.gen_range(1..=4) {
            change_json(rng, &mut value, 0);
        }
        value.to_string().into_bytes()
    };
    fuzz_with(
        "intake-json",
        generator,
        |input| match ward::web::api::reports::parse_json(input) {
            Ok(report) => ward::domain::questionnaire::for_category(report.category.as_str())
                .is_some_and(|q| q.validate(&report.content.answers).is_ok()),
            Err(_) => false,
        },
    );
}

/// Changes one value somewhere in a JSON document, or adds or removes a key.
fn change_json(rng: &mut StdRng, value: &mut serde_json::Value, depth: usize) {
    use serde_json::Value;
    match value {
        Value::Object(map) if !map.is_empty() && depth < 4 => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = &keys[rng.gen_range(0..keys.len())];
            match rng.gen_range(0..6) {
                0 => {
                    map.remove(key);
                }
                1 => {
                    map.insert(random_text(rng, 12), random_json(rng, depth));
                }
                2 | 3 => *map.get_mut(key).unwrap() = random_json(rng, depth),
                _ => change_json(rng, map.get_mut(key).unwrap(), depth + 1),
            }
        }
        other => *other = random_json(rng, depth),
    }
}

fn random_json(rng: &mut StdRng, depth: usize) -> serde_json::Value {
    use serde_json::Value;
    const WORDS: [&str; 12] = [
        "travel-tourism",
        "abuse-material",
        "prostitution",
        "trafficking",
        "other",
        "LU",
        "TH",
        "en",
        "fr",
        "hotel",
        "yes",
        "",
    ];
    match rng.gen_range(0..9) {
        0 => Value::Null,
        1 => Value::Bool(rng.r#gen()),
        2 => Value::from(rng.gen_range(-5i64..100)),
        3 => Value::from(rng.r#gen::<f64>() * 1e12),
        4 => Value::from(WORDS[rng.gen_range(0..WORDS.len())]),
        5 => Value::from(random_text(rng, 300)),
        6 => Value::from("x".repeat(rng.gen_range(19_990..20_010))),
        7 if depth < 3 => Value::Array(
            (0..rng.gen_range(0..4))
                .map(|_| random_json(rng, depth + 1))
                .collect(),
        ),
        _ if depth < 3 => Value::Object(
            (0..rng.gen_range(0..4))
                .map(|_| (random_text(rng, 8), random_json(rng, depth + 1)))
                .collect(),
        ),
        _ => Value::Null,
    }
}

fn random_text(rng: &mut StdRng, most: usize) -> String {
    const PIECES: [&str; 10] = [
        "a", "é", "\u{0}", "<script>", "\n", "😀", " ", "\u{202e}", "\"", "0",
    ];
    (0..rng.gen_range(0..most))
        .map(|_| PIECES[rng.gen_range(0..PIECES.len())])
        .collect()
}

#[test]
fn multipart_forms() {
    // Files go to the spool, in a data directory of the test's own.
    let data_dir = tempfile::tempdir().unwrap();
    let settings = ward::config::Settings {
        data_dir: data_dir.path().to_path_buf(),
        ..ward::config::Settings::default()
    };
    std::fs::create_dir_all(settings.spool_dir()).unwrap();
    let spool = ward::domain::uploads::Spool::new(settings.spool_dir(), 64 * 1024 * 1024);
    let seeds: Vec<Vec<u8>> = vec![
        b"--B\r\nContent-Disposition: form-data; name=\"report\"\r\n\r\n{\"a\":1}\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n\r\n--B--\r\n".to_vec(),
        b"--B\r\nContent-Disposition: form-data; name=\"receipt\"\r\n\r\n1234 5678\r\n--B\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nMore details\r\n--B--\r\n".to_vec(),
    ];
    fuzz("multipart", &seeds, |input| {
        use axum::extract::FromRequest;
        let request = axum::http::Request::builder()
            .method("POST")
            .header("content-type", "multipart/form-data; boundary=B")
            .body(axum::body::Body::from(input.to_vec()))
            .unwrap();
        runtime().block_on(async {
            match axum::extract::Multipart::from_request(request, &()).await {
                Ok(multipart) => {
                    ward::web::form::FormData::read(multipart, &settings, &spool, None)
                        .await
                        .is_ok()
                }
                Err(_) => false,
            }
        })
    });
}

#[test]
fn questionnaire_files() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("questionnaires");
    let seeds: Vec<Vec<u8>> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    fuzz("questionnaire", &seeds, |input| {
        let text = String::from_utf8_lossy(input);
        ward::domain::questionnaire::parse("travel-tourism", &text).is_ok()
    });
}

#[test]
fn configuration() {
    let example =
        std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ward.example.toml")).unwrap();
    let seeds = vec![
        example,
        b"listen = \"127.0.0.1:8080\"\nmax_files = 10\nrate_limits = \"on\"\n".to_vec(),
        b"WARD_MAX_FILE_MB=20".to_vec(),
    ];
    fuzz("configuration", &seeds, |input| {
        let text = String::from_utf8_lossy(input);
        let from_file = ward::config::Settings::from_parts(Some(&text), &[]).is_ok();
        // The same bytes as the value of an environment variable.
        if let Some((name, value)) = text.split_once('=') {
            let vars = [(
                format!("WARD_{}", name.trim().to_ascii_uppercase()),
                value.to_string(),
            )];
            let _ = ward::config::Settings::from_parts(None, &vars);
        }
        from_file
    });
}

#[test]
fn backup_reader() {
    let dir = tempfile::tempdir().unwrap();
    let settings = ward::config::Settings {
        data_dir: dir.path().join("data"),
        ..ward::config::Settings::default()
    };
    let out = dir.path().join("seed.tar.gz");
    runtime().block_on(async {
        let (db, _, _) = ward::startup::open_instance(&settings).await.unwrap();
        db.close().await;
        ward::backup::create(&settings, &out).await.unwrap();
    });
    let seed = std::fs::read(&out).unwrap();
    // The gzip stream and the tar stream inside it, both mutated.
    let mut tar = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&seed[..]), &mut tar).unwrap();
    fuzz("backup", &[seed, tar.clone()], |input| {
        let backup = if input.starts_with(&[0x1f, 0x8b]) {
            input.to_vec()
        } else {
            // A mutated tar, compressed again, so that the tar reader is reached.
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            gz.write_all(input).unwrap();
            gz.finish().unwrap()
        };
        ward::backup::verify_reader(&backup[..]).is_ok()
    });
}

#[test]
fn picture_cleaners() {
    let mut rng = StdRng::seed_from_u64(5);
    let picture = image::RgbImage::from_fn(24, 16, |_, _| image::Rgb(rng.r#gen::<[u8; 3]>()));
    let encoded = |format| {
        let mut out = std::io::Cursor::new(Vec::new());
        picture.write_to(&mut out, format).unwrap();
        out.into_inner()
    };
    let seeds = vec![
        encoded(image::ImageFormat::Jpeg),
        encoded(image::ImageFormat::Png),
        encoded(image::ImageFormat::WebP),
        std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gps.jpg"))
            .unwrap(),
    ];
    fuzz("pictures", &seeds, |input| {
        if input.starts_with(b"%PDF-") {
            return false; // PDFs are cleaned in a child process: see tests/api/hostile_files.rs.
        }
        match runtime().block_on(ward::domain::uploads::prepare("p", input.to_vec())) {
            Ok(clean) => {
                // What comes out is of the type it was detected as.
                let kind = ward::domain::uploads::sniff(&clean.bytes).expect("a known type");
                assert_eq!(kind, clean.kind);
                true
            }
            Err(_) => false,
        }
    });
}
