//! The public site: what reporters see.

pub mod assets;
pub mod awareness;
pub mod followup;
pub mod home;
pub mod report;
pub mod setup;

use crate::web::error::AppError;

pub async fn not_found() -> AppError {
    AppError::NotFound
}
