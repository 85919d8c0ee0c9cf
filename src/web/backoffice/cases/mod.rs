//! The case view and its forms: `view` shows a report, `actions` are the
//! forms of casework, `files` the attachments.

pub mod actions;
pub mod files;
pub mod view;
