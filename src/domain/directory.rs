//! The countries directory: for each country the emergency number, the
//! national mechanism where people report the sexual exploitation of
//! children, and the languages. Bundled as `data/countries.toml`;
//! administrators of the coordinating organisation change entries in the
//! back office, and their changes (in the database) win over the file.

use std::collections::BTreeMap;
use std::sync::{LazyLock, RwLock};

use serde::{Deserialize, Serialize};

use super::actor::Actor;
use super::audit::{Action, Entry};
use super::change::Change;
use super::countries::is_iso_country;
use super::{Context, DomainError, DomainResult, network};
use crate::storage::{Database, directory, now_millis};

const FILE: &str = include_str!("../../data/countries.toml");

/// What the directory says of one country.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emergency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mechanism_url: Option<String>,
    #[serde(default)]
    pub languages: Vec<String>,
}

static BUNDLED: LazyLock<Result<BTreeMap<String, CountryEntry>, String>> =
    LazyLock::new(|| parse(FILE));

fn parse(text: &str) -> Result<BTreeMap<String, CountryEntry>, String> {
    let entries: BTreeMap<String, CountryEntry> =
        toml::from_str(text).map_err(|e| format!("data/countries.toml: {e}"))?;
    for (code, entry) in &entries {
        if !is_iso_country(code) {
            return Err(format!(
                "data/countries.toml: {code:?} is not an ISO 3166 country code"
            ));
        }
        if let Some(field) = invalid_field(entry) {
            return Err(format!("data/countries.toml: {code}: {field} is not valid"));
        }
    }
    Ok(entries)
}

/// The first field of an entry that is not valid, if any.
fn invalid_field(entry: &CountryEntry) -> Option<&'static str> {
    let number_ok = |n: &str| {
        !n.trim().is_empty()
            && n.len() <= 40
            && n.chars()
                .all(|c| c.is_ascii_digit() || c == ' ' || c == '/')
    };
    if entry.emergency.as_deref().is_some_and(|n| !number_ok(n)) {
        return Some("emergency");
    }
    if entry.mechanism.as_deref().is_some_and(|m| {
        m.trim().is_empty() || m.chars().count() > 200 || m.chars().any(char::is_control)
    }) {
        return Some("mechanism");
    }
    if entry.mechanism_url.as_deref().is_some_and(|u| {
        !(u.starts_with("https://") || u.starts_with("http://"))
            || u.len() > 500
            || u.chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<')
    }) {
        return Some("mechanism_url");
    }
    if !entry
        .languages
        .iter()
        .all(|l| l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase()))
    {
        return Some("languages");
    }
    None
}

/// Checks the bundled file (called at start-up).
pub fn check() -> Result<(), String> {
    BUNDLED.as_ref().map(|_| ()).map_err(Clone::clone)
}

fn bundled() -> &'static BTreeMap<String, CountryEntry> {
    static EMPTY: BTreeMap<String, CountryEntry> = BTreeMap::new();
    BUNDLED.as_ref().unwrap_or(&EMPTY)
}

/// The directory of a running instance: the bundled file and the
/// administrators' changes, kept in memory for the pages that show it.
#[derive(Debug, Default)]
pub struct Directory {
    changes: RwLock<BTreeMap<String, CountryEntry>>,
}

impl Directory {
    /// The directory with the changes stored in the database.
    pub async fn load(db: &Database) -> DomainResult<Self> {
        let directory = Self::default();
        directory.refresh(db).await?;
        Ok(directory)
    }

    /// Reads the changes again (another Ward process may have made some).
    pub async fn refresh(&self, db: &Database) -> DomainResult<()> {
        let rows = directory::all(db).await?;
        let changes = rows
            .into_iter()
            .map(|row| {
                let entry = CountryEntry {
                    emergency: row.emergency,
                    mechanism: row.mechanism,
                    mechanism_url: row.mechanism_url,
                    languages: row
                        .languages
                        .split(',')
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect(),
                };
                (row.code, entry)
            })
            .collect();
        *self.changes.write().unwrap_or_else(|e| e.into_inner()) = changes;
        Ok(())
    }

    /// A country's entry: the administrators' version, else the bundled one.
    pub fn entry(&self, code: &str) -> Option<CountryEntry> {
        let changes = self.changes.read().unwrap_or_else(|e| e.into_inner());
        changes.get(code).or_else(|| bundled().get(code)).cloned()
    }

    /// The emergency number to call in a country, if known.
    pub fn emergency(&self, code: &str) -> Option<String> {
        self.entry(code).and_then(|e| e.emergency)
    }

    /// Every country with an entry, by code, and whether administrators changed it.
    pub fn all(&self) -> Vec<(String, CountryEntry, bool)> {
        let changes = self.changes.read().unwrap_or_else(|e| e.into_inner());
        let mut codes: Vec<&String> = bundled().keys().chain(changes.keys()).collect();
        codes.sort();
        codes.dedup();
        codes
            .into_iter()
            .filter_map(|code| {
                let changed = changes.get(code);
                changed
                    .or_else(|| bundled().get(code))
                    .map(|entry| (code.clone(), entry.clone(), changed.is_some()))
            })
            .collect()
    }

    /// Every entry, for the administrators of the coordinating organisation.
    pub async fn for_coordinator(
        &self,
        ctx: Context<'_>,
        actor: &Actor,
    ) -> DomainResult<Vec<(String, CountryEntry, bool)>> {
        network::require_coordinator(ctx, actor).await?;
        Ok(self.all())
    }

    /// Changes a country's entry (administrators of the coordinating organisation).
    pub async fn update(
        &self,
        ctx: Context<'_>,
        actor: &Actor,
        code: &str,
        entry: CountryEntry,
    ) -> DomainResult<()> {
        network::require_coordinator(ctx, actor).await?;
        let code = code.trim().to_ascii_uppercase();
        if !is_iso_country(&code) {
            return Err(DomainError::NotFound);
        }
        let entry = CountryEntry {
            emergency: trimmed(entry.emergency),
            mechanism: trimmed(entry.mechanism),
            mechanism_url: trimmed(entry.mechanism_url),
            languages: entry
                .languages
                .iter()
                .map(|l| l.trim().to_ascii_lowercase())
                .filter(|l| !l.is_empty())
                .collect(),
        };
        if let Some(field) = invalid_field(&entry) {
            return Err(DomainError::invalid(field, "invalid-directory-field"));
        }
        let mut tx = Change::begin(ctx.db, ctx.key).await?;
        let row = directory::CountryRow {
            code: code.clone(),
            emergency: entry.emergency.clone(),
            mechanism: entry.mechanism.clone(),
            mechanism_url: entry.mechanism_url.clone(),
            languages: entry.languages.join(","),
        };
        directory::upsert(&mut tx, &row, &actor.user_id, now_millis()).await?;
        tx.record(Entry::by(actor, Action::DirectoryChanged, "country", &code))
            .await?;
        tx.commit().await?;
        self.refresh(ctx.db).await
    }
}

fn trimmed(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_directory_is_valid_and_covers_the_eu_and_eea() {
        check().unwrap();
        let eu_eea = "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO";
        for code in eu_eea.split(' ') {
            let entry = bundled().get(code).unwrap_or_else(|| panic!("{code}"));
            assert!(
                entry
                    .emergency
                    .as_deref()
                    .is_some_and(|n| n.contains("112")),
                "{code}"
            );
            assert!(!entry.languages.is_empty(), "{code}");
        }
        assert_eq!(bundled()["TH"].emergency.as_deref(), Some("191"));
    }

    #[test]
    fn invalid_entries_are_named() {
        assert!(parse("[XX]\nemergency = \"112\"").is_err());
        assert!(parse("[LU]\nemergency = \"call me\"").is_err());
        assert!(parse("[LU]\nmechanism_url = \"javascript:alert(1)\"").is_err());
        assert!(parse("[LU]\nlanguages = [\"French\"]").is_err());
        assert!(parse("[LU]\ncolour = \"red\"").is_err());
    }
}
