//! Black-box tests: the real server on a random port with a fresh database.
//! They run on SQLite, or on PostgreSQL when `WARD_TEST_DATABASE_URL` is set.
//! All test modules compile into this one binary to save link time.

mod awareness;
mod backoffice;
mod backup;
mod bench;
mod canary;
mod change;
mod cli;
mod escaping;
mod faults;
mod followup;
mod health;
mod helpers;
mod hostile;
mod hostile_files;
mod key_bindings;
mod languages;
mod migrations;
mod network;
mod process;
mod questionnaires;
mod report_form;
mod reports;
mod setup;
mod shutdown;
mod smtp;
mod vault;
