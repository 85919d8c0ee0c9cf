//! Logs go to standard error, human-readable or JSON. What is logged is
//! chosen in `web::layers`: never a client address, a user agent, content,
//! a password, a key or a receipt code.

use tracing_subscriber::EnvFilter;

use crate::config::{LogFormat, Settings};

pub fn init(settings: &Settings) {
    // sqlx logs statements (never bound values) at debug; keep it quiet by default.
    let filter = EnvFilter::try_new(format!("sqlx=warn,{}", settings.log_level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter);
    let result = match settings.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
    // A second initialisation (tests) keeps the first subscriber.
    let _ = result;
}
