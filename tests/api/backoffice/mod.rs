//! The back office through HTTP: sign-in, roles, cases, members, the audit log.

mod audit;
mod cases;
mod inbox;
mod isolation;
mod matrix;
mod members;
mod notifications;
mod sign_in;

use ward::domain::accounts;
use ward::domain::reports::{
    self, Category, Contact, Language, NewAttachment, NewReport, ReportContent,
};
use ward::domain::totp;
use ward::domain::values::{CountryCode, Email, Password, Role};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, SetupResult, TestApp, hidden_field};

/// What a member signs in with.
#[derive(Clone, Debug)]
pub struct Login {
    pub email: String,
    pub password: String,
    pub totp_secret: String,
}

impl Login {
    pub fn admin(setup: &SetupResult) -> Self {
        Self {
            email: ADMIN_EMAIL.into(),
            password: ADMIN_PASSWORD.into(),
            totp_secret: setup.totp_secret.clone(),
        }
    }

    pub fn code(&self) -> String {
        totp::current_code(&self.totp_secret).unwrap()
    }
}

/// A browser of its own (its own cookies), that does not follow redirects,
/// and adds the page's CSRF token to its form posts.
pub struct Browser {
    pub client: reqwest::Client,
    pub base: String,
    pub csrf: String,
}

impl Browser {
    pub fn new(app: &TestApp) -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .cookie_store(true)
                .build()
                .unwrap(),
            base: app.address.clone(),
            csrf: String::new(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// The status and text of a page.
    pub async fn page(&self, path: &str) -> (u16, String) {
        let response = self.get(path).await;
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// Posts a form with the CSRF token.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut fields = fields.to_vec();
        fields.push(("csrf", &self.csrf));
        self.post_raw(path, &fields).await
    }

    /// Posts a form as it is (no token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.base))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// Posts and returns the status and the text.
    pub async fn submit(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let response = self.post(path, fields).await;
        (response.status().as_u16(), response.text().await.unwrap())
    }

    pub async fn sign_in_with(&self, email: &str, password: &str, code: &str) -> reqwest::Response {
        self.post_raw(
            "/admin/sign-in",
            &[("email", email), ("password", password), ("code", code)],
        )
        .await
    }

    /// Signs in and reads the CSRF token of the back office's forms.
    pub async fn sign_in(&mut self, app: &TestApp, login: &Login) {
        allow_another_code(app, &login.email).await;
        let response = self
            .sign_in_with(&login.email, &login.password, &login.code())
            .await;
        assert_eq!(response.status(), 303, "{} signs in", login.email);
        self.read_csrf().await;
    }

    /// Reads the CSRF token from the account page.
    pub async fn read_csrf(&mut self) {
        let (status, page) = self.page("/admin/account").await;
        assert_eq!(status, 200, "{page}");
        self.csrf = hidden_field(&page, "csrf");
    }
}

/// A code is accepted once per 30-second step; tests that sign one member in
/// several times forget the last step (time passing, as far as Ward knows).
pub async fn allow_another_code(app: &TestApp, email: &str) {
    sqlx::query("UPDATE users SET last_totp_step = NULL WHERE email = $1")
        .bind(email)
        .execute(app.state.db.pool())
        .await
        .unwrap();
}

/// A signed-in browser for a member.
pub async fn signed_in(app: &TestApp, login: &Login) -> Browser {
    let mut browser = Browser::new(app);
    browser.sign_in(app, login).await;
    browser
}

/// Adds a member with access to the organisation's key (approved by the first administrator).
pub async fn add_member(app: &TestApp, email: &str, role: Role) -> Login {
    let password = format!("{email} password");
    let user = accounts::add_user(
        &app.state.db,
        &app.state.instance_key,
        Email::parse(email).unwrap(),
        role,
        Password::parse(&password).unwrap(),
    )
    .await
    .unwrap();
    app.approve_access((ADMIN_EMAIL, ADMIN_PASSWORD), email)
        .await
        .unwrap();
    Login {
        email: email.into(),
        password,
        totp_secret: user.totp_secret,
    }
}

/// The three roles of one organisation, set up.
pub struct Team {
    pub admin: Login,
    pub supervisor: Login,
    pub analyst: Login,
}

pub async fn team(app: &TestApp) -> Team {
    let setup = app.complete_setup().await;
    Team {
        admin: Login::admin(&setup),
        supervisor: add_member(app, "supervisor@hotline.example", Role::Supervisor).await,
        analyst: add_member(app, "analyst@hotline.example", Role::Analyst).await,
    }
}

/// A small PNG of solid colour blocks (synthetic, benign).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        if (x / 8 + y / 8) % 2 == 0 {
            image::Rgb([200, 40, 40])
        } else {
            image::Rgb([30, 90, 200])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A report through the domain, with files; returns its id and receipt code.
pub async fn report_with_files(
    app: &TestApp,
    description: &str,
    files: Vec<(&str, Vec<u8>)>,
) -> (String, String) {
    submit_report(app, description, files, None).await
}

/// A travel and tourism report about Thailand, through the domain, with
/// files and contact details if any; returns its id and receipt code.
pub async fn submit_report(
    app: &TestApp,
    description: &str,
    files: Vec<(&str, Vec<u8>)>,
    contact: Option<Contact>,
) -> (String, String) {
    let submitted = reports::submit(
        app.state.ctx(),
        NewReport {
            category: Category::parse("travel-tourism").unwrap(),
            country: CountryCode::parse("TH").unwrap(),
            reporter_country: None,
            language: Language::parse("en").unwrap(),
            content: ReportContent {
                answers: serde_json::Map::from_iter([
                    ("description".to_string(), description.into()),
                    ("place_type".to_string(), "hotel".into()),
                ]),
                contact,
                received_at: None,
            },
            attachments: files
                .into_iter()
                .map(|(name, bytes)| NewAttachment::in_memory(name, bytes))
                .collect(),
            submission: None,
        },
    )
    .await
    .unwrap();
    (submitted.report_id, submitted.receipt.to_string())
}

/// A report without files.
pub async fn report(app: &TestApp, description: &str) -> String {
    report_with_files(app, description, Vec::new()).await.0
}

/// The ids of a report's attachments.
pub async fn attachment_ids(app: &TestApp, report_id: &str) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT id FROM attachments WHERE report_id = $1 ORDER BY created_at, id")
            .bind(report_id)
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

/// The actions recorded in the audit log, oldest first.
pub async fn audit_actions(app: &TestApp) -> Vec<(String, Option<String>, Option<String>)> {
    sqlx::query_as("SELECT action, object_id, detail FROM audit_log ORDER BY seq")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
}

/// The id of a member.
pub async fn user_id(app: &TestApp, email: &str) -> String {
    ward::storage::users::find_by_email(&app.state.db, email)
        .await
        .unwrap()
        .unwrap()
        .id
}
