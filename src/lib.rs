//! Ward: reporting and case management for child-protection hotlines.
//!
//! Layers, from the outside in: `cli` and `web` (thin), `domain` (what Ward
//! does), `storage` (SQL and files) and `vault` (encryption at rest).

pub mod backup;
pub mod cli;
pub mod config;
pub mod domain;
pub mod i18n;
pub mod mail;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod vault;
pub mod web;
