use std::path::{Path, PathBuf};
use std::time::Duration;

use sqlx::Connection;
use tempfile::TempDir;
use ward::config::Settings;
use ward::domain::accounts::{self, Unlocked};
use ward::domain::totp;
use ward::domain::values::{Email, Password};
use ward::startup::Application;
use ward::web::AppState;

pub const ADMIN_EMAIL: &str = "admin@hotline.example";
pub const ADMIN_PASSWORD: &str = "correct horse battery staple";

/// A running Ward with its own data directory and database.
pub struct TestApp {
    pub address: String,
    pub metrics_address: String,
    pub client: reqwest::Client,
    pub settings: Settings,
    pub state: AppState,
    pub data_dir: TempDir,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    pub server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
}

/// Which database the suite runs against.
pub fn postgres_url() -> Option<String> {
    std::env::var("WARD_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// A fresh database URL: a new PostgreSQL database, or none (SQLite in the data dir).
pub async fn fresh_database_url() -> Option<String> {
    let base = postgres_url()?;
    static CLEANED: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    CLEANED
        .get_or_init(|| drop_stale_databases(base.clone()))
        .await;
    // The time of making is in the name, so that a later suite removes
    // only databases old enough to be left over, never those of a suite
    // running beside it on the same server.
    let name = format!(
        "ward_test_{}_{}",
        ward::storage::now_millis() / 1000,
        uuid::Uuid::new_v4().simple()
    );
    let mut conn = sqlx::PgConnection::connect(&base)
        .await
        .expect("WARD_TEST_DATABASE_URL must be reachable");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("create a test database");
    Some(replace_database(&base, &name))
}

/// A test database this old is left over from a suite that ended (no suite runs this long).
const STALE_AFTER_SECONDS: i64 = 6 * 3600;

async fn drop_stale_databases(base: String) {
    let mut conn = sqlx::PgConnection::connect(&base)
        .await
        .expect("WARD_TEST_DATABASE_URL must be reachable");
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'ward\\_test\\_%'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap_or_default();
    let now = ward::storage::now_millis() / 1000;
    for (name,) in names {
        // Named ward_test_<seconds>_<uuid>; an older name has no time and is left over.
        let made = name
            .strip_prefix("ward_test_")
            .and_then(|rest| rest.split_once('_'))
            .and_then(|(seconds, _)| seconds.parse::<i64>().ok())
            .unwrap_or(0);
        if now - made < STALE_AFTER_SECONDS {
            continue;
        }
        let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut conn)
        .await;
    }
}

fn replace_database(url: &str, name: &str) -> String {
    let (without_query, query) = match url.split_once('?') {
        Some((u, q)) => (u, format!("?{q}")),
        None => (url, String::new()),
    };
    let scheme_end = without_query.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match without_query[scheme_end..].find('/') {
        Some(i) => &without_query[..scheme_end + i],
        None => without_query,
    };
    format!("{base}/{name}{query}")
}

pub fn test_settings(data_dir: &Path, database_url: Option<String>) -> Settings {
    Settings {
        listen: "127.0.0.1:0".parse().unwrap(),
        metrics_listen: Some("127.0.0.1:0".parse().unwrap()),
        data_dir: data_dir.to_path_buf(),
        database_url,
        database_max_connections: 4,
        log_level: "warn".into(),
        ..Settings::default()
    }
}

pub async fn spawn_app() -> TestApp {
    let data_dir = tempfile::tempdir().unwrap();
    let settings = test_settings(data_dir.path(), fresh_database_url().await);
    spawn_with(settings, data_dir).await
}

/// [`spawn_app`] with settings of the test's own (a limit, a switch).
pub async fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let data_dir = tempfile::tempdir().unwrap();
    let mut settings = test_settings(data_dir.path(), fresh_database_url().await);
    configure(&mut settings);
    spawn_with(settings, data_dir).await
}

pub async fn spawn_with(settings: Settings, data_dir: TempDir) -> TestApp {
    // The server runs inside this test binary: uploaded PDFs are cleaned by
    // the `ward` binary's `clean-pdf` child process, as in production.
    ward::domain::uploads::pdf::use_program(env!("CARGO_BIN_EXE_ward"));
    let app = Application::build(settings.clone())
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = format!("http://127.0.0.1:{}", app.metrics_port().unwrap());
    let state = app.state().clone();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.run_until_stopped(async move {
        let _ = rx.await;
    }));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    TestApp {
        address,
        metrics_address,
        client,
        settings,
        state,
        data_dir,
        shutdown: Some(tx),
        server: Some(server),
    }
}

/// What the setup page gave the first administrator.
pub struct SetupResult {
    pub recovery_key: String,
    pub totp_secret: String,
    /// The first administrator's one-time recovery codes.
    pub recovery_codes: Vec<String>,
    /// The page that says the organisation is set up.
    pub done_page: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn post_report(&self, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/reports"))
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Posts the follow-up page's form (multipart, as the browser does); its status and page.
    pub async fn post_follow_up(&self, form: reqwest::multipart::Form) -> (u16, String) {
        let r = self
            .client
            .post(self.url("/follow-up"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    /// Sends the reporter's message on a report through the API.
    pub async fn post_message(&self, receipt: &str, message: &str) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/follow-up/messages"))
            .json(&serde_json::json!({ "receipt": receipt, "message": message }))
            .send()
            .await
            .unwrap()
    }

    /// Sends a report through the API with one file attached.
    pub async fn post_report_with_file(
        &self,
        body: &serde_json::Value,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> reqwest::Response {
        use reqwest::multipart::{Form, Part};
        let form = Form::new()
            .text("report", body.to_string())
            .part("file", Part::bytes(bytes).file_name(file_name.to_string()));
        self.post_report_form(form).await
    }

    /// Posts a multipart report (a `report` part and files) to the intake API.
    pub async fn post_report_form(&self, form: reqwest::multipart::Form) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/reports"))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Waits until the intake's memory budget is whole again (every body
    /// has given its room back), at most 5 s.
    pub async fn budget_comes_back(&self) {
        let whole = ward::web::intake_gate::BODY_BUDGET / 1024;
        let started = std::time::Instant::now();
        while self.state.intake.budget_free_kib() < whole {
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "the budget comes back"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// A fresh one-time setup link (the path part).
    pub async fn setup_path(&self) -> String {
        let token = ward::domain::setup::issue_setup_token(self.state.ctx())
            .await
            .unwrap()
            .expect("setup is not done yet");
        format!("/setup/{token}")
    }

    pub async fn post_setup(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// Completes setup through the web page, as a person would.
    pub async fn complete_setup(&self) -> SetupResult {
        let path = self.setup_path().await;
        let page = self.get(&path).await.text().await.unwrap();
        let totp_secret = hidden_field(&page, "totp_secret");
        let code = totp::current_code(&totp_secret).unwrap();
        let response = self
            .post_setup(
                &path,
                &[
                    ("organisation", "Hotline Luxembourg"),
                    ("country", "LU"),
                    ("email", ADMIN_EMAIL),
                    ("password", ADMIN_PASSWORD),
                    ("password_confirm", ADMIN_PASSWORD),
                    ("totp_secret", &totp_secret),
                    ("totp_code", &code),
                ],
            )
            .await;
        assert_eq!(response.status(), 200);
        let page = response.text().await.unwrap();
        let recovery_key = page
            .split_whitespace()
            .map(|w| {
                w.trim_start_matches(|c| c != 'A')
                    .split('<')
                    .next()
                    .unwrap_or("")
            })
            .find(|w| w.starts_with("AGE-SECRET-KEY-1"))
            .expect("the recovery key is shown")
            .to_string();
        let recovery_codes = page
            .split("<li><code>")
            .skip(1)
            .map(|item| item.split('<').next().unwrap().to_string())
            .collect();
        SetupResult {
            recovery_key,
            totp_secret,
            recovery_codes,
            done_page: page,
        }
    }

    pub async fn unlock(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Unlocked, ward::domain::DomainError> {
        accounts::unlock(
            &self.state.db,
            &Email::parse(email).unwrap(),
            &Password::parse(password).unwrap(),
        )
        .await
    }

    /// How many reports the instance holds.
    pub async fn report_count(&self) -> i64 {
        ward::storage::reports::count(&self.state.db).await.unwrap()
    }

    /// Posts a raw body with the given content type (for malformed input).
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    /// The report a `201` answer of the intake API gave a receipt for, opened
    /// with the first administrator's key.
    pub async fn open_created(&self, r: reqwest::Response) -> ward::domain::reports::OpenedReport {
        assert_eq!(r.status(), 201);
        let receipt = r.json::<serde_json::Value>().await.unwrap()["receipt"]
            .as_str()
            .expect("a receipt code")
            .to_string();
        let row = ward::domain::reports::find_by_receipt(
            &self.state.db,
            &self.state.instance_key,
            &receipt,
        )
        .await
        .unwrap()
        .expect("the report is stored");
        self.open_as_admin(&row).await
    }

    /// Opens a report with the first administrator's key, as an analyst would.
    pub async fn open_as_admin(
        &self,
        row: &ward::storage::reports::ReportRow,
    ) -> ward::domain::reports::OpenedReport {
        let admin = self.unlock(ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
        let key = admin.organisation_key().unwrap();
        ward::domain::reports::open(
            &self.state.db,
            &self.state.files,
            &row.organisation_id,
            key,
            &row.id,
        )
        .await
        .unwrap()
    }

    /// The first administrator, signed in as the domain sees a member.
    pub async fn admin_actor(&self) -> ward::domain::actor::Actor {
        self.unlock(ADMIN_EMAIL, ADMIN_PASSWORD)
            .await
            .unwrap()
            .into_actor()
            .unwrap()
    }

    /// Approves a member's access as `approver` (an e-mail and password),
    /// for the fingerprint of the member's key as it is now.
    pub async fn approve_access(
        &self,
        approver: (&str, &str),
        member_email: &str,
    ) -> ward::domain::DomainResult<()> {
        let actor = self.unlock(approver.0, approver.1).await?.into_actor()?;
        let member = ward::storage::users::find_by_email(&self.state.db, member_email)
            .await
            .unwrap()
            .expect("the member exists");
        let fingerprint = ward::vault::fingerprint(&member.public_key);
        ward::domain::members::approve_access(self.state.ctx(), &actor, &member.id, &fingerprint)
            .await
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) -> (Settings, TempDir) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.unwrap().unwrap();
        }
        (self.settings, self.data_dir)
    }
}

pub fn hidden_field(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).expect("the field is on the page") + marker.len();
    page[start..].split('"').next().unwrap().to_string()
}

pub fn sample_report(answer: &str) -> serde_json::Value {
    serde_json::json!({
        "category": "travel-tourism",
        "country": "TH",
        "language": "en",
        "answers": { "description": answer, "place_type": "hotel", "place_name": "Hotel Sol", "children_count": 2 },
        "contact": { "email": "reporter@example.org", "may_contact": true }
    })
}

/// A report of the category "other" (a description is all it needs), as
/// the domain takes it, for tests that submit without the HTTP layer.
pub fn other_report(
    country: &str,
    language: &str,
    description: &str,
    attachments: Vec<ward::domain::reports::NewAttachment>,
) -> ward::domain::reports::NewReport {
    use ward::domain::reports::{Category, Language, NewReport, ReportContent};
    NewReport {
        category: Category::parse("other").unwrap(),
        country: ward::domain::values::CountryCode::parse(country).unwrap(),
        reporter_country: None,
        language: Language::parse(language).unwrap(),
        content: ReportContent {
            answers: serde_json::Map::from_iter([("description".to_string(), description.into())]),
            contact: None,
            received_at: None,
        },
        attachments,
        submission: None,
    }
}

/// Every file below a directory.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out
}

/// A valid one-page PDF whose page holds `text` (uncompressed, so the text
/// can be searched for in the file).
pub fn pdf_with_text(text: &str) -> Vec<u8> {
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.7");
    let pages = doc.new_object_id();
    let font = dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica" };
    let content = doc.add_object(Stream::new(
        dictionary! {},
        format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET").into_bytes(),
    ));
    let page = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages, "Contents" => content,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
    });
    doc.objects.insert(
        pages,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 },
        ),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("a PDF in memory");
    out
}
