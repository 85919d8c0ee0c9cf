//! Referrals and the network: routing of new reports between the
//! organisations of an instance, referrals by encrypted e-mail, the
//! authority portal, transfers, and the documents Ward produces.

mod documents;
mod email;
pub mod portal;
mod routing;
mod transfer;

use ward::domain::setup::{self, SetupRequest};
use ward::domain::totp;
use ward::domain::values::{CountryCode, Email, OrganisationName, Password};

use crate::backoffice::{Browser, Login};
use crate::helpers::TestApp;

/// Another organisation of the instance, and its administrator.
pub struct Hotline {
    pub id: String,
    pub admin: Login,
}

pub async fn add_hotline(app: &TestApp, name: &str, country: &str, email: &str) -> Hotline {
    let login = Login {
        email: email.into(),
        password: format!("{name} administrator password"),
        totp_secret: totp::new_secret(),
    };
    let outcome = setup::add_organisation(
        app.state.ctx(),
        SetupRequest {
            organisation: OrganisationName::parse(name).unwrap(),
            country: CountryCode::parse(country).unwrap(),
            email: Email::parse(email).unwrap(),
            password: Password::parse(&login.password).unwrap(),
            totp_secret: login.totp_secret.clone(),
        },
    )
    .await
    .unwrap();
    Hotline {
        id: outcome.organisation_id,
        admin: login,
    }
}

/// The id of the organisation a report belongs to.
pub async fn organisation_of(app: &TestApp, report_id: &str) -> String {
    let (id,): (String,) = sqlx::query_as("SELECT organisation_id FROM reports WHERE id = $1")
        .bind(report_id)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    id
}

/// The first organisation's id (the coordinating one).
pub async fn coordinating_id(app: &TestApp) -> String {
    ward::storage::organisations::default_organisation(&app.state.db)
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Adds a recipient through the back office; returns its id.
pub async fn add_recipient(admin: &Browser, fields: &[(&str, &str)]) -> String {
    let r = admin.post("/admin/recipients", fields).await;
    assert_eq!(r.status(), 303, "{}", r.text().await.unwrap());
    let location = r.headers()["location"].to_str().unwrap().to_string();
    location
        .trim_start_matches("/admin/recipients/")
        .split('?')
        .next()
        .unwrap()
        .to_string()
}

/// The referrals of a report: (id, recipient id, channel, state).
pub async fn referrals_of(app: &TestApp, report_id: &str) -> Vec<(String, String, String, String)> {
    sqlx::query_as(
        "SELECT id, recipient_id, channel, state FROM referrals WHERE report_id = $1 ORDER BY created_at, id",
    )
    .bind(report_id)
    .fetch_all(app.state.db.pool())
    .await
    .unwrap()
}

/// A report with files and the reporter's contact details (who may or may
/// not have agreed to be contacted by the authorities); returns its id.
pub async fn report_with_contact(
    app: &TestApp,
    description: &str,
    files: Vec<(&str, Vec<u8>)>,
    may_contact: bool,
) -> String {
    let contact = ward::domain::reports::Contact {
        email: Some("reporter@example.org".into()),
        phone: None,
        may_contact,
    };
    crate::backoffice::submit_report(app, description, files, Some(contact))
        .await
        .0
}

/// The files of a ZIP archive: (name, bytes).
pub fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut out = Vec::new();
            file.read_to_end(&mut out).unwrap();
            (file.name().to_string(), out)
        })
        .collect()
}
