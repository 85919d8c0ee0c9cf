//! The intake API for mobile apps and partner sites (`/api/v1`).

pub mod followup;
pub mod openapi;
pub mod questionnaires;
pub mod reports;
