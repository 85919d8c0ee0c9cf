//! The configuration file, and the same bytes as an environment variable.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    let text = String::from_utf8_lossy(input);
    let _ = ward::config::Settings::from_parts(Some(&text), &[]);
    if let Some((name, value)) = text.split_once('=') {
        let vars = [(
            format!("WARD_{}", name.trim().to_ascii_uppercase()),
            value.to_string(),
        )];
        let _ = ward::config::Settings::from_parts(None, &vars);
    }
});
