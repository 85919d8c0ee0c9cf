use std::sync::Arc;

use crate::config::Settings;
use crate::domain::directory::Directory;
use crate::domain::sign_in_guard::UnknownSignIns;
use crate::domain::{Context, Database, FileStore};
use crate::mail::{Mailer, Notifier};
use crate::vault::InstanceKey;
use crate::web::intake_gate::IntakeGate;
use crate::web::metrics::Metrics;
use crate::web::rate_limit::RateLimits;

/// What every handler may use.
#[derive(Clone)]
pub struct AppState {
    pub db: Database,
    pub files: FileStore,
    pub instance_key: InstanceKey,
    pub settings: Arc<Settings>,
    pub metrics: Arc<Metrics>,
    pub limits: Arc<RateLimits>,
    /// The memory budget and the places of intake.
    pub intake: Arc<IntakeGate>,
    /// Where posted files wait, sealed, until they are cleaned.
    pub spool: crate::domain::uploads::Spool,
    pub mailer: Arc<Mailer>,
    pub notifier: Notifier,
    /// The countries directory (emergency numbers, national mechanisms).
    pub directory: Arc<Directory>,
    /// Failed sign-ins with unknown addresses, counted for the audit log.
    pub unknown_sign_ins: Arc<UnknownSignIns>,
}

impl AppState {
    /// What the domain needs from the state.
    pub fn ctx(&self) -> Context<'_> {
        Context {
            db: &self.db,
            files: &self.files,
            key: &self.instance_key,
            unknown_sign_ins: &self.unknown_sign_ins,
        }
    }
}
