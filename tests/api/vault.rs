//! The vault through the real storage: who can open what.

use ward::domain::accounts::{self};
use ward::domain::values::{Email, Password, Role};
use ward::domain::{DomainError, reports};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, sample_report, spawn_app};

const ANALYST: &str = "analyst@hotline.example";

async fn report_id(app: &TestApp) -> (String, String) {
    let r = app
        .post_report(&sample_report("seen at the reception desk"))
        .await;
    assert_eq!(r.status(), 201);
    let org = ward::storage::organisations::default_organisation(&app.state.db)
        .await
        .unwrap()
        .unwrap();
    let (id,): (String,) = sqlx::query_as("SELECT id FROM reports")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    (org.id, id)
}

/// What a member's password gives when they try to read a report.
#[derive(Debug, PartialEq, Eq)]
enum Access {
    /// The report opens.
    Reads,
    /// The password is refused (wrong, or the member is disabled).
    Refused,
    /// The password opens the member's key, but they hold no grant.
    NoGrant,
}

/// Tries to read a report as a member; any other failure than the ones
/// `Access` names is a test failure, not a "cannot read".
async fn access(app: &TestApp, email: &str, password: &str, org: &str, id: &str) -> Access {
    let user = match app.unlock(email, password).await {
        Ok(user) => user,
        Err(DomainError::WrongCredentials) => return Access::Refused,
        Err(other) => panic!("unlocking {email} failed for another reason: {other:?}"),
    };
    let Some(key) = user.organisation_key.as_ref() else {
        return Access::NoGrant;
    };
    match reports::open(&app.state.db, &app.state.files, org, key, id).await {
        Ok(_) => Access::Reads,
        Err(other) => panic!("{email} holds a grant but the report did not open: {other:?}"),
    }
}

fn email(s: &str) -> Email {
    Email::parse(s).unwrap()
}

fn password(s: &str) -> Password {
    Password::parse(s).unwrap()
}

#[tokio::test]
async fn a_wrong_password_opens_nothing() {
    let app = spawn_app().await;
    app.complete_setup().await;
    assert!(matches!(
        app.unlock(ADMIN_EMAIL, "not the password at all").await,
        Err(DomainError::WrongCredentials)
    ));
    assert!(matches!(
        app.unlock("nobody@hotline.example", ADMIN_PASSWORD).await,
        Err(DomainError::WrongCredentials)
    ));
}

#[tokio::test]
async fn a_new_user_gets_access_when_an_administrator_grants_it() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let (org, id) = report_id(&app).await;
    let db = &app.state.db;
    let added = accounts::add_user(
        db,
        &app.state.instance_key,
        email(ANALYST),
        Role::Analyst,
        password("analyst password 1"),
    )
    .await
    .unwrap();
    assert!(added.otpauth_uri.starts_with("otpauth://totp/"));
    assert_eq!(
        access(&app, ANALYST, "analyst password 1", &org, &id).await,
        Access::NoGrant,
        "no access before the grant"
    );
    let pending = accounts::list_users(db).await.unwrap();
    assert!(
        pending
            .iter()
            .any(|u| u.email == ANALYST && u.has_access == 0)
    );

    // An administrator's sign-in grants nothing by itself.
    app.unlock(ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    assert_eq!(
        access(&app, ANALYST, "analyst password 1", &org, &id).await,
        Access::NoGrant
    );
    // An analyst cannot approve access; an administrator can, explicitly.
    assert!(matches!(
        app.approve_access((ANALYST, "analyst password 1"), ANALYST)
            .await,
        Err(DomainError::Forbidden)
    ));
    app.approve_access((ADMIN_EMAIL, ADMIN_PASSWORD), ANALYST)
        .await
        .unwrap();
    assert_eq!(
        access(&app, ANALYST, "analyst password 1", &org, &id).await,
        Access::Reads
    );

    // The same address cannot be added twice; a disabled user cannot unlock.
    let again = accounts::add_user(
        db,
        &app.state.instance_key,
        email(ANALYST),
        Role::Analyst,
        password("another password"),
    )
    .await;
    assert!(matches!(again, Err(DomainError::Conflict(_))));
    ward::domain::members::set_disabled_from_command_line(
        db,
        &app.state.instance_key,
        &email(ANALYST),
        true,
    )
    .await
    .unwrap();
    assert_eq!(
        access(&app, ANALYST, "analyst password 1", &org, &id).await,
        Access::Refused
    );
}

#[tokio::test]
async fn a_password_change_keeps_access() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let (org, id) = report_id(&app).await;
    accounts::change_password(
        &app.state.db,
        &email(ADMIN_EMAIL),
        &password(ADMIN_PASSWORD),
        password("a brand new passphrase"),
    )
    .await
    .unwrap();
    assert_eq!(
        access(&app, ADMIN_EMAIL, ADMIN_PASSWORD, &org, &id).await,
        Access::Refused
    );
    assert_eq!(
        access(&app, ADMIN_EMAIL, "a brand new passphrase", &org, &id).await,
        Access::Reads
    );
    let wrong = accounts::change_password(
        &app.state.db,
        &email(ADMIN_EMAIL),
        &password("not my password!"),
        password("whatever password"),
    )
    .await;
    assert!(matches!(wrong, Err(DomainError::WrongCredentials)));
}

#[tokio::test]
async fn an_administrator_reset_keeps_access_to_old_reports() {
    let app = spawn_app().await;
    app.complete_setup().await;
    let db = &app.state.db;
    accounts::add_user(
        db,
        &app.state.instance_key,
        email(ANALYST),
        Role::Analyst,
        password("analyst password 1"),
    )
    .await
    .unwrap();
    app.approve_access((ADMIN_EMAIL, ADMIN_PASSWORD), ANALYST)
        .await
        .unwrap();
    let admin = app.unlock(ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    let (org, id) = report_id(&app).await;

    // The analyst forgot the password; the administrator sets a new one.
    accounts::admin_reset_password(
        db,
        &app.state.instance_key,
        &admin,
        &email(ANALYST),
        password("reset by the admin"),
    )
    .await
    .unwrap();
    assert_eq!(
        access(&app, ANALYST, "analyst password 1", &org, &id).await,
        Access::Refused
    );
    assert_eq!(
        access(&app, ANALYST, "reset by the admin", &org, &id).await,
        Access::Reads
    );

    // Only administrators may reset.
    let analyst = app.unlock(ANALYST, "reset by the admin").await.unwrap();
    let denied = accounts::admin_reset_password(
        db,
        &app.state.instance_key,
        &analyst,
        &email(ADMIN_EMAIL),
        password("taking over now"),
    )
    .await;
    assert!(matches!(denied, Err(DomainError::Forbidden)));
}

#[tokio::test]
async fn the_recovery_key_restores_access_when_every_password_is_lost() {
    let app = spawn_app().await;
    let setup = app.complete_setup().await;
    let (org, id) = report_id(&app).await;
    let db = &app.state.db;
    let wrong_key = ward::vault::SecretKey::generate().to_secret_text();
    assert!(
        accounts::recover_with_key(
            db,
            &app.state.instance_key,
            &wrong_key,
            &email(ADMIN_EMAIL),
            password("recovered password")
        )
        .await
        .is_err()
    );
    accounts::recover_with_key(
        db,
        &app.state.instance_key,
        &setup.recovery_key,
        &email(ADMIN_EMAIL),
        password("recovered password"),
    )
    .await
    .unwrap();
    assert_eq!(
        access(&app, ADMIN_EMAIL, "recovered password", &org, &id).await,
        Access::Reads
    );
    assert_eq!(
        access(&app, ADMIN_EMAIL, ADMIN_PASSWORD, &org, &id).await,
        Access::Refused
    );
}
