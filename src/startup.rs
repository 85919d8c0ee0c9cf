//! Building and running the server, in a way tests can drive: `build` binds
//! the listeners (port 0 picks a free one) and `run_until_stopped` serves
//! until the shutdown future completes, letting in-flight requests finish.

use std::future::Future;
use std::sync::Arc;

use anyhow::Context;
use tokio::net::TcpListener;

use crate::config::{Settings, prepare_data_dir};
use crate::domain::directory::Directory;
use crate::domain::setup;
use crate::mail::{Mailer, Notifier};
use crate::storage::{Database, FileStore};
use crate::vault::InstanceKey;
use crate::web::rate_limit::RateLimits;
use crate::web::{self, AppState, metrics::Metrics};

pub struct Application {
    listener: TcpListener,
    metrics_listener: Option<TcpListener>,
    state: AppState,
}

/// Opens the data directory, the instance key, the database (migrated) and the file store.
pub async fn open_instance(
    settings: &Settings,
) -> anyhow::Result<(Database, FileStore, InstanceKey)> {
    prepare_data_dir(settings)?;
    let db = Database::connect(&settings.database_url(), settings.database_max_connections).await?;
    db.migrate().await?;
    // Before the key is read: a restore cut short may still have to put it in place.
    crate::backup::staging::finish_interrupted_restore(settings, &db).await?;
    let instance_key = InstanceKey::load_or_create(&settings.secrets_dir()).with_context(|| {
        format!(
            "cannot read the instance key in {}",
            settings.secrets_dir().display()
        )
    })?;
    crate::domain::key_bindings::bind_existing_once(&db, &instance_key, &settings.secrets_dir())
        .await?;
    let files = FileStore::local(&settings.files_dir())?;
    Ok((db, files, instance_key))
}

/// Opens an instance that must already exist, changing nothing: no directory,
/// key or migration is created. For backups, which must not alter what they copy.
pub async fn open_existing_instance(
    settings: &Settings,
) -> anyhow::Result<(Database, FileStore, InstanceKey)> {
    let key_path = settings.secrets_dir().join(InstanceKey::file_name());
    let key_bytes = std::fs::read(&key_path).with_context(|| {
        format!(
            "no Ward instance in WARD_DATA_DIR ({}): cannot read {}",
            settings.data_dir.display(),
            key_path.display()
        )
    })?;
    let instance_key = InstanceKey::from_bytes(&key_bytes)
        .with_context(|| format!("{} is damaged", key_path.display()))?;
    if settings.backend() == crate::config::Backend::Sqlite && !settings.sqlite_path().is_file() {
        anyhow::bail!("no Ward database at {}", settings.sqlite_path().display());
    }
    let db = Database::connect(&settings.database_url(), settings.database_max_connections).await?;
    let known = db.known_schema_version();
    match db.schema_version().await? {
        Some(v) if v == known => {}
        Some(v) if v > known => anyhow::bail!(
            "the database schema (version {v}) is newer than this Ward knows (version {known}); use the newer Ward"
        ),
        _ => anyhow::bail!(
            "the database is not migrated to this Ward's schema: run `ward migrate` first"
        ),
    }
    let files = FileStore::local(&settings.files_dir())?;
    Ok((db, files, instance_key))
}

impl Application {
    pub async fn build(mut settings: Settings) -> anyhow::Result<Self> {
        // Questionnaires and translations are data: a broken file stops start-up, clearly.
        crate::domain::questionnaire::load(settings.questionnaires_dir.as_deref())
            .map_err(|e| anyhow::anyhow!("invalid questionnaire: {e}"))?;
        crate::i18n::check().map_err(|e| anyhow::anyhow!("invalid translation file: {e}"))?;
        crate::i18n::check_questionnaires(crate::domain::questionnaire::all())
            .map_err(|e| anyhow::anyhow!("invalid questionnaire: {e}"))?;
        crate::domain::directory::check().map_err(|e| anyhow::anyhow!("invalid data file: {e}"))?;
        let (db, files, instance_key) = open_instance(&settings).await?;
        crate::domain::leftovers::remove_in_background(db.clone(), files.clone());
        let listener = TcpListener::bind(settings.listen)
            .await
            .with_context(|| format!("WARD_LISTEN: cannot listen on {}", settings.listen))?;
        // Port 0 means any free port: links Ward writes name the one it got.
        settings.listen = listener.local_addr()?;
        let metrics_listener = match settings.metrics_listen {
            Some(addr) => Some(
                TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("WARD_METRICS_LISTEN: cannot listen on {addr}"))?,
            ),
            None => None,
        };
        let directory = Arc::new(Directory::load(&db).await?);
        let mailer = Arc::new(Mailer::from_settings(&settings)?);
        let notifier = Notifier::start(
            db.clone(),
            mailer.clone(),
            std::time::Duration::from_secs(settings.notify_delay_seconds),
            settings.public_base_url(),
        );
        let limits = RateLimits::new(
            settings.rate_limits == crate::config::Switch::On,
            settings.rate_limit_reports,
            settings.rate_limit_lookups,
            settings.rate_limit_sign_ins,
            settings.rate_limit_posts,
        );
        let intake = Arc::new(crate::web::intake_gate::IntakeGate::new());
        let spool = crate::domain::uploads::Spool::new(
            settings.spool_dir(),
            settings.spool_mb * 1024 * 1024,
        );
        let state = AppState {
            db,
            files,
            instance_key,
            settings: Arc::new(settings),
            metrics: Arc::new(Metrics::default()),
            limits: Arc::new(limits),
            intake,
            spool,
            unknown_sign_ins: Arc::default(),
            mailer,
            notifier,
            directory,
        };
        Ok(Self {
            listener,
            metrics_listener,
            state,
        })
    }

    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_listener
            .as_ref()
            .and_then(|l| l.local_addr().ok())
            .map(|a| a.port())
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A new one-time setup link while setup is not done.
    pub async fn setup_link(&self) -> anyhow::Result<Option<String>> {
        let token = setup::issue_setup_token(self.state.ctx()).await?;
        let base = match &self.state.settings.public_url {
            Some(_) => self.state.settings.public_base_url(),
            None => format!("http://{}", self.listener.local_addr()?),
        };
        Ok(token.map(|t| format!("{base}/setup/{t}")))
    }

    pub async fn run_until_stopped(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let wait = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            let _ = rx.wait_for(|stopped| *stopped).await;
        };
        let public = web::connections::serve(
            self.listener,
            web::router(self.state.clone()),
            web::connections::connection_cap(),
            wait(stop_rx.clone()),
        );
        let metrics = self.metrics_listener.map(|listener| {
            axum::serve(listener, web::metrics::router(self.state.metrics.clone()))
                .with_graceful_shutdown(wait(stop_rx.clone()))
        });
        tokio::spawn(async move {
            shutdown.await;
            tracing::info!("shutting down: finishing requests in flight");
            let _ = stop_tx.send(true);
        });
        let serving = async move {
            match metrics {
                Some(metrics) => tokio::join!(public, metrics.into_future()).1,
                None => {
                    public.await;
                    Ok(())
                }
            }
        };
        // Requests in flight get a grace period; one that hangs cannot keep Ward up.
        let grace_period =
            std::time::Duration::from_secs(self.state.settings.shutdown_grace_seconds);
        let grace = async move {
            wait(stop_rx).await;
            tokio::time::sleep(grace_period).await;
        };
        tokio::select! {
            served = serving => served?,
            () = grace => tracing::warn!("requests still running after the grace period; stopping anyway"),
        }
        self.state.db.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
