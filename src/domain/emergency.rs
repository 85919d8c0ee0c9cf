//! Emergency numbers by country, from `data/emergency-numbers.toml`.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use super::countries::is_iso_country;

const FILE: &str = include_str!("../../data/emergency-numbers.toml");

static NUMBERS: LazyLock<Result<BTreeMap<String, String>, String>> = LazyLock::new(|| parse(FILE));

fn parse(text: &str) -> Result<BTreeMap<String, String>, String> {
    let numbers: BTreeMap<String, String> =
        toml::from_str(text).map_err(|e| format!("data/emergency-numbers.toml: {e}"))?;
    for (code, number) in &numbers {
        if !is_iso_country(code) {
            return Err(format!(
                "data/emergency-numbers.toml: {code:?} is not an ISO 3166 country code"
            ));
        }
        if number.is_empty()
            || !number
                .chars()
                .all(|c| c.is_ascii_digit() || c == ' ' || c == '/')
        {
            return Err(format!(
                "data/emergency-numbers.toml: the number for {code} must be digits (with / between numbers)"
            ));
        }
    }
    Ok(numbers)
}

/// Checks the bundled file (called at start-up).
pub fn check() -> Result<(), String> {
    NUMBERS.as_ref().map(|_| ()).map_err(Clone::clone)
}

/// The emergency number to call in a country, if known.
pub fn number(country: &str) -> Option<&'static str> {
    NUMBERS.as_ref().ok()?.get(country).map(String::as_str)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_bundled_numbers_are_valid() {
        super::check().unwrap();
        assert_eq!(super::number("LU"), Some("112"));
        assert_eq!(super::number("TH"), Some("191"));
        assert_eq!(super::number("AQ"), None);
        assert!(super::parse("XX = \"112\"").is_err());
        assert!(super::parse("LU = \"call me\"").is_err());
    }
}
