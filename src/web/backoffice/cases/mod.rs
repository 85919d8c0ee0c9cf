//! The case view and its forms: `view` shows a report, `actions` are the
//! forms of casework, `files` the attachments, `referrals` what goes to
//! authorities, partners and the other organisations of the instance.

pub mod actions;
pub mod files;
pub mod referral_section;
pub mod referrals;
pub mod view;
