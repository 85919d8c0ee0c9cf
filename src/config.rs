//! Layered configuration: built-in defaults, then an optional TOML file
//! (`WARD_CONFIG`, or `./ward.toml` when it exists), then `WARD_*` environment variables.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Every setting Ward understands. `ward.example.toml` documents each one.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Address of the public web server (`WARD_LISTEN`).
    pub listen: SocketAddr,
    /// Directory for the SQLite database, the file store and generated secrets (`WARD_DATA_DIR`).
    pub data_dir: PathBuf,
    /// Database URL (`WARD_DATABASE_URL`); empty means SQLite inside the data directory.
    pub database_url: Option<String>,
    /// Largest number of pooled database connections (`WARD_DATABASE_MAX_CONNECTIONS`).
    pub database_max_connections: u32,
    /// Address of the Prometheus metrics listener (`WARD_METRICS_LISTEN`); none means no metrics.
    pub metrics_listen: Option<SocketAddr>,
    /// The address people use to reach Ward, used in printed links (`WARD_PUBLIC_URL`).
    pub public_url: Option<String>,
    /// `text` (default) or `json` (`WARD_LOG_FORMAT`).
    pub log_format: LogFormat,
    /// A tracing filter such as `info` or `ward=debug` (`WARD_LOG_LEVEL`).
    pub log_level: String,
    /// Largest accepted request body in bytes (`WARD_MAX_REQUEST_BYTES`).
    pub max_request_bytes: usize,
    /// `on` (default) or `off`: rate limits on submissions and receipt look-ups
    /// (`WARD_RATE_LIMITS`). Switch them off for benchmarks only.
    pub rate_limits: Switch,
    /// Reports one client may send per 10 minutes (`WARD_RATE_LIMIT_REPORTS`).
    pub rate_limit_reports: u32,
    /// Receipt look-ups one client may make per 10 minutes (`WARD_RATE_LIMIT_LOOKUPS`).
    pub rate_limit_lookups: u32,
    /// Sign-in attempts (back office and portal together) one client may
    /// make per 10 minutes (`WARD_RATE_LIMIT_SIGN_INS`).
    pub rate_limit_sign_ins: u32,
    /// Posts with a body to the reporting paths (each step of the report
    /// form, the follow-up page, the API's reports and messages) one client
    /// may make per 10 minutes, counted before the body is read
    /// (`WARD_RATE_LIMIT_POSTS`).
    pub rate_limit_posts: u32,
    /// Longest time one request may take, body included, before it is
    /// answered 408 and dropped (`WARD_REQUEST_DEADLINE_SECONDS`).
    pub request_deadline_seconds: u64,
    /// A folder of awareness pages (`<lang>/<page>.md`) that replaces the
    /// bundled ones (`WARD_CONTENT_DIR`).
    pub content_dir: Option<PathBuf>,
    /// A folder of questionnaires (`<category>.toml`) that replaces the
    /// bundled ones (`WARD_QUESTIONNAIRES_DIR`).
    pub questionnaires_dir: Option<PathBuf>,
    /// Ward runs behind a reverse proxy that appends the client's address to
    /// `X-Forwarded-For` (`WARD_BEHIND_PROXY`); the rate limits then use it.
    pub behind_proxy: bool,
    /// Seconds requests in flight may take to finish after SIGTERM
    /// (`WARD_SHUTDOWN_GRACE_SECONDS`).
    pub shutdown_grace_seconds: u64,
    /// Most files one report or message may carry (`WARD_MAX_FILES`).
    pub max_files: usize,
    /// Largest file, in MiB (`WARD_MAX_FILE_MB`).
    pub max_file_mb: usize,
    /// Disk for files being received, in MiB, beyond the first MiB of each
    /// (`WARD_SPOOL_MB`); uploads that find no room within 10 s are told
    /// to come back (503).
    pub spool_mb: usize,
    /// A back-office session ends after this many idle minutes (`WARD_SESSION_IDLE_MINUTES`).
    pub session_idle_minutes: u64,
    /// A back-office session ends this many hours after sign-in, whatever
    /// happens (`WARD_SESSION_LIFETIME_HOURS`).
    pub session_lifetime_hours: u64,
    /// SMTP server for e-mail to members (`WARD_SMTP_URL`), such as
    /// `smtp://user:password@mail.example.org:587?tls=required`; none means no e-mail.
    pub smtp_url: Option<String>,
    /// The sender of Ward's e-mail (`WARD_MAIL_FROM`).
    pub mail_from: String,
    /// New reports arriving within this many seconds share one notification
    /// (`WARD_NOTIFY_DELAY_SECONDS`).
    pub notify_delay_seconds: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Switch {
    On,
    Off,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("./ward-data"),
            database_url: None,
            database_max_connections: 8,
            metrics_listen: None,
            public_url: None,
            log_format: LogFormat::Text,
            log_level: "info".into(),
            max_request_bytes: 220 * 1024 * 1024,
            rate_limits: Switch::On,
            rate_limit_reports: 30,
            rate_limit_lookups: 20,
            rate_limit_sign_ins: 30,
            rate_limit_posts: 300,
            request_deadline_seconds: 1800,
            content_dir: None,
            questionnaires_dir: None,
            behind_proxy: false,
            shutdown_grace_seconds: 30,
            max_files: 10,
            max_file_mb: 20,
            spool_mb: 1024,
            session_idle_minutes: 30,
            session_lifetime_hours: 12,
            smtp_url: None,
            mail_from: "Ward <ward@localhost>".into(),
            notify_delay_seconds: 60,
        }
    }
}

/// Setting names, as written after the `WARD_` prefix. Other `WARD_*` variables
/// (`WARD_CONFIG`, `WARD_TEST_DATABASE_URL`) are not settings and are ignored here.
const SETTINGS: &[&str] = &[
    "listen",
    "data_dir",
    "database_url",
    "database_max_connections",
    "metrics_listen",
    "public_url",
    "log_format",
    "log_level",
    "max_request_bytes",
    "rate_limits",
    "rate_limit_reports",
    "rate_limit_lookups",
    "rate_limit_sign_ins",
    "rate_limit_posts",
    "request_deadline_seconds",
    "content_dir",
    "questionnaires_dir",
    "behind_proxy",
    "shutdown_grace_seconds",
    "max_files",
    "max_file_mb",
    "spool_mb",
    "session_idle_minutes",
    "session_lifetime_hours",
    "smtp_url",
    "mail_from",
    "notify_delay_seconds",
];

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("invalid configuration: {0}")]
    Invalid(String),
}

/// Which database a URL selects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Settings {
    /// Loads settings from the process environment.
    pub fn load() -> Result<Self, ConfigError> {
        let vars: Vec<(String, String)> = std::env::vars().collect();
        Self::load_from(&vars)
    }

    /// Loads settings from the given environment variables (tests pass their own).
    pub fn load_from(vars: &[(String, String)]) -> Result<Self, ConfigError> {
        let var = |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let explicit = var("WARD_CONFIG").map(PathBuf::from);
        let file = explicit
            .clone()
            .unwrap_or_else(|| PathBuf::from("ward.toml"));
        if explicit.is_some() && !file.is_file() {
            return Err(ConfigError::File {
                path: file,
                message: "WARD_CONFIG names a file that does not exist".into(),
            });
        }
        let text = match file.is_file() {
            true => Some(
                std::fs::read_to_string(&file).map_err(|e| ConfigError::File {
                    path: file.clone(),
                    message: e.to_string(),
                })?,
            ),
            false => None,
        };
        Self::from_parts(text.as_deref(), vars)
    }

    /// Settings from a configuration file's text (if any) and environment
    /// variables; reads no file. Pure, so that it can be fuzzed.
    pub fn from_parts(toml: Option<&str>, vars: &[(String, String)]) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(text) = toml {
            figment = figment.merge(Toml::string(text));
        }
        let env: Vec<(String, String)> = vars
            .iter()
            .filter_map(|(k, v)| {
                let key = k.strip_prefix("WARD_")?.to_ascii_lowercase();
                SETTINGS.contains(&key.as_str()).then(|| (key, v.clone()))
            })
            .collect();
        for (key, value) in env {
            // An empty variable means "not set", as in most shells' habits.
            if value.is_empty() {
                continue;
            }
            figment = figment.merge((key, parse_env_value(&value)));
        }
        let settings: Settings = figment.extract().map_err(|e| {
            ConfigError::Invalid(
                e.into_iter()
                    .map(describe_figment_error)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if let Some(url) = &self.database_url {
            backend_of(url)?;
        }
        if self.database_max_connections == 0 {
            return Err(ConfigError::Invalid(
                "WARD_DATABASE_MAX_CONNECTIONS (database_max_connections) must be at least 1"
                    .into(),
            ));
        }
        if self.request_deadline_seconds == 0 {
            return Err(ConfigError::Invalid(
                "WARD_REQUEST_DEADLINE_SECONDS (request_deadline_seconds) must be at least 1"
                    .into(),
            ));
        }
        if let Some(url) = &self.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(ConfigError::Invalid(format!(
                "WARD_PUBLIC_URL (public_url) must start with http:// or https://, got {url:?}"
            )));
        }
        if self.metrics_listen == Some(self.listen) {
            return Err(ConfigError::Invalid(
                "WARD_METRICS_LISTEN (metrics_listen) must differ from WARD_LISTEN: metrics are never served on the public listener".into(),
            ));
        }
        if self.max_file_mb == 0
            || self.max_file_mb.saturating_mul(1024 * 1024) > self.max_request_bytes
        {
            return Err(ConfigError::Invalid(
                "WARD_MAX_FILE_MB (max_file_mb) must be at least 1 and fit in WARD_MAX_REQUEST_BYTES".into(),
            ));
        }
        if self.spool_mb < self.max_file_mb {
            return Err(ConfigError::Invalid(
                "WARD_SPOOL_MB (spool_mb) must be at least WARD_MAX_FILE_MB: a file larger than the spool could never be received".into(),
            ));
        }
        if self.session_idle_minutes == 0 || self.session_lifetime_hours == 0 {
            return Err(ConfigError::Invalid(
                "WARD_SESSION_IDLE_MINUTES and WARD_SESSION_LIFETIME_HOURS must be at least 1"
                    .into(),
            ));
        }
        if let Some(url) = &self.smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err(ConfigError::Invalid(format!(
                "WARD_SMTP_URL (smtp_url) must start with smtp:// or smtps://, got {:?}",
                redact_url(url)
            )));
        }
        if self.max_request_bytes < 1024 {
            return Err(ConfigError::Invalid(
                "WARD_MAX_REQUEST_BYTES (max_request_bytes) must be at least 1024".into(),
            ));
        }
        Ok(())
    }

    /// The database URL in use: the configured one, or SQLite inside the data directory.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}?mode=rwc", self.sqlite_path().display()),
        }
    }

    pub fn backend(&self) -> Backend {
        backend_of(&self.database_url()).unwrap_or(Backend::Sqlite)
    }

    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join("ward.db")
    }

    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }

    /// Where files posted to Ward wait, sealed and without a name, until
    /// they are cleaned (see `domain::uploads::spool`).
    pub fn spool_dir(&self) -> PathBuf {
        self.data_dir.join("spool")
    }

    pub fn secrets_dir(&self) -> PathBuf {
        self.data_dir.join("secrets")
    }

    /// Base of links printed for people, without a trailing slash.
    pub fn public_base_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.listen),
        }
    }

    /// The effective configuration as TOML, with passwords in URLs replaced by `***`.
    pub fn redacted_toml(&self) -> String {
        let mut shown = self.clone();
        shown.database_url = Some(redact_url(&self.database_url()));
        shown.smtp_url = self.smtp_url.as_deref().map(redact_url);
        toml::to_string_pretty(&shown).unwrap_or_else(|e| format!("# cannot display: {e}\n"))
    }
}

/// Environment values are strings; numbers stay numbers so that typed fields parse.
fn parse_env_value(value: &str) -> figment::value::Value {
    // figment's parser (as in its own `Env` provider) reads numbers, booleans
    // and quoted strings. Its unescaping panics on a backslash after a
    // multi-byte character (found by tests/fuzz.rs), so text that is not
    // ASCII, which can only be a string anyway, is taken as it is. No
    // setting is a list or a table, and its parser recurses into them
    // without a limit (5,000 nested brackets overflowed the stack, found
    // by fuzz/run), so a value with brackets or braces is a string too.
    if !value.is_ascii() || value.contains(['[', '{']) {
        return figment::value::Value::from(value.to_string());
    }
    value
        .parse()
        .unwrap_or_else(|_| figment::value::Value::from(value.to_string()))
}

fn describe_figment_error(e: figment::Error) -> String {
    let setting = e.path.join(".");
    let name = if setting.is_empty() {
        String::new()
    } else {
        format!("WARD_{} ({setting}): ", setting.to_ascii_uppercase())
    };
    format!("{name}{}", e.kind)
}

pub fn backend_of(url: &str) -> Result<Backend, ConfigError> {
    if url.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(ConfigError::Invalid(format!(
            "WARD_DATABASE_URL (database_url) must start with sqlite: or postgres://, got {:?}",
            redact_url(url)
        )))
    }
}

/// Replaces the password part of `scheme://user:password@host/...` with `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// Makes sure the data directory and its sub-folders exist and are writable.
pub fn prepare_data_dir(settings: &Settings) -> Result<(), ConfigError> {
    for dir in [
        settings.data_dir.clone(),
        settings.files_dir(),
        settings.secrets_dir(),
        settings.spool_dir(),
    ] {
        create_private_dir(&dir).map_err(|e| {
            ConfigError::Invalid(format!(
                "WARD_DATA_DIR (data_dir): cannot create {}: {e}",
                dir.display()
            ))
        })?;
    }
    let probe = settings.data_dir.join(".write-test");
    std::fs::write(&probe, b"ok")
        .and_then(|_| std::fs::remove_file(&probe))
        .map_err(|e| {
            ConfigError::Invalid(format!(
                "WARD_DATA_DIR (data_dir): {} is not writable: {e}",
                settings.data_dir.display()
            ))
        })
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        // Point at a config file that cannot exist unless a test asks for one.
        if !pairs.iter().any(|(k, _)| *k == "WARD_CONFIG") {
            v.push(("WARD_CONFIG_UNUSED".into(), String::new()));
        }
        v
    }

    #[test]
    fn defaults_need_no_configuration() {
        let s = Settings::load_from(&env(&[])).unwrap();
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(s.data_dir, PathBuf::from("./ward-data"));
        assert_eq!(s.backend(), Backend::Sqlite);
        assert!(s.database_url().contains("ward-data/ward.db"));
    }

    #[test]
    fn a_backslash_after_accented_text_is_an_error_not_a_crash() {
        // Found by tests/fuzz.rs: figment's unescaping panicked on this.
        let err = Settings::load_from(&env(&[("WARD_LISTEN", "\"127é\\y")])).unwrap_err();
        assert!(err.to_string().contains("WARD_LISTEN"), "{err}");
        let s =
            Settings::load_from(&env(&[("WARD_MAIL_FROM", "Équipe \\ Ward <w@x.org>")])).unwrap();
        assert_eq!(s.mail_from, "Équipe \\ Ward <w@x.org>");
    }

    #[test]
    fn the_spool_holds_at_least_the_largest_file() {
        let err = Settings::load_from(&env(&[("WARD_SPOOL_MB", "10")])).unwrap_err();
        assert!(err.to_string().contains("WARD_SPOOL_MB"), "{err}");
        let s = Settings::load_from(&env(&[("WARD_SPOOL_MB", "20")])).unwrap();
        assert_eq!(s.spool_mb, 20);
    }

    #[test]
    fn deeply_nested_brackets_are_an_error_not_a_crash() {
        // Found by fuzz/run: figment's parser overflowed the stack on this.
        for open in ["[", "{a="] {
            let value = open.repeat(5_000);
            let err = Settings::load_from(&env(&[("WARD_LISTEN", &value)])).unwrap_err();
            assert!(err.to_string().contains("WARD_LISTEN"), "{err}");
        }
        let s = Settings::load_from(&env(&[("WARD_LISTEN", "[::1]:9000")])).unwrap();
        assert_eq!(s.listen.to_string(), "[::1]:9000");
    }

    #[test]
    fn environment_overrides_defaults() {
        let s = Settings::load_from(&env(&[
            ("WARD_LISTEN", "0.0.0.0:9000"),
            ("WARD_DATABASE_URL", "postgres://u:pw@localhost/ward"),
            ("WARD_DATABASE_MAX_CONNECTIONS", "3"),
            ("WARD_TEST_DATABASE_URL", "ignored"),
        ]))
        .unwrap();
        assert_eq!(s.listen.port(), 9000);
        assert_eq!(s.backend(), Backend::Postgres);
        assert_eq!(s.database_max_connections, 3);
        assert!(!s.redacted_toml().contains("pw"));
    }

    #[test]
    fn invalid_values_name_the_setting() {
        let err = Settings::load_from(&env(&[("WARD_LISTEN", "not-an-address")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("WARD_LISTEN"), "{err}");
        let err = Settings::load_from(&env(&[("WARD_DATABASE_URL", "mysql://x")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("WARD_DATABASE_URL"), "{err}");
        let err = Settings::load_from(&env(&[("WARD_LOG_FORMAT", "xml")]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("WARD_LOG_FORMAT"), "{err}");
    }

    #[test]
    fn toml_file_sits_between_defaults_and_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ward.toml");
        std::fs::write(
            &path,
            "listen = \"127.0.0.1:7000\"\nlog_format = \"json\"\n",
        )
        .unwrap();
        let p = path.to_str().unwrap();
        let s =
            Settings::load_from(&env(&[("WARD_CONFIG", p), ("WARD_LOG_FORMAT", "text")])).unwrap();
        assert_eq!(s.listen.port(), 7000);
        assert_eq!(s.log_format, LogFormat::Text);
        std::fs::write(&path, "lisen = \"127.0.0.1:7000\"\n").unwrap();
        let err = Settings::load_from(&env(&[("WARD_CONFIG", p)]))
            .unwrap_err()
            .to_string();
        assert!(err.contains("lisen"), "{err}");
    }

    #[test]
    fn the_example_file_documents_every_setting_and_loads() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ward.example.toml");
        let text = std::fs::read_to_string(path).unwrap();
        for setting in SETTINGS {
            let env_name = format!("WARD_{}", setting.to_ascii_uppercase());
            assert!(text.contains(&env_name), "{env_name} is not documented");
            assert!(
                text.contains(&format!("{setting} =")),
                "{setting} has no example"
            );
        }
        let loaded = Settings::load_from(&env(&[("WARD_CONFIG", path)])).unwrap();
        assert_eq!(loaded.redacted_toml(), Settings::default().redacted_toml());
    }

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(
            redact_url("postgres://ward:s3cret@db:5432/ward"),
            "postgres://ward:***@db:5432/ward"
        );
        assert_eq!(redact_url("postgres://db/ward"), "postgres://db/ward");
    }
}
