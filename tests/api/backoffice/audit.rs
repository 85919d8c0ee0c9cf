//! The audit trail: every action recorded without content, chained so that
//! `ward audit verify` finds an altered or removed entry; the administrator's view.

use super::{audit_actions, report, signed_in, team};
use crate::helpers::{TestApp, postgres_url, spawn_app};
use crate::process::{text, ward};

/// Runs `ward audit verify` on the test instance (the real binary).
fn verify(app: &TestApp) -> (bool, String) {
    let out = ward(app.data_dir.path(), app.settings.database_url.as_deref())
        .env("WARD_DATA_DIR", app.data_dir.path())
        .args(["audit", "verify"])
        .output()
        .unwrap();
    (
        out.status.success(),
        format!("{}{}", text(&out.stdout), text(&out.stderr)),
    )
}

/// Lets the test edit the log as someone with the database could.
async fn drop_append_only_triggers(app: &TestApp) {
    let statements: &[&str] = if postgres_url().is_some() {
        &["DROP TRIGGER audit_log_no_change ON audit_log"]
    } else {
        &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ]
    };
    for statement in statements {
        sqlx::query(*statement)
            .execute(app.state.db.pool())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn the_audit_chain_verifies_and_an_altered_entry_is_named() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let report_id = report(&app, "the audit never holds this").await;
    let analyst = signed_in(&app, &team.analyst).await;
    analyst.get(&format!("/admin/reports/{report_id}")).await;
    analyst
        .post(
            &format!("/admin/reports/{report_id}/notes"),
            &[("note", "a private note")],
        )
        .await;
    analyst
        .post(
            &format!("/admin/reports/{report_id}/status"),
            &[("status", "in-assessment")],
        )
        .await;
    let entries = audit_actions(&app).await;
    assert!(entries.len() >= 4, "{entries:?}");

    let (ok, output) = verify(&app);
    assert!(ok, "{output}");
    assert!(output.contains("intact"), "{output}");

    // The log refuses changes from Ward itself.
    let refused = sqlx::query("UPDATE audit_log SET detail = 'x' WHERE seq = 1")
        .execute(app.state.db.pool())
        .await;
    assert!(refused.is_err(), "append-only");
    assert!(
        sqlx::query("DELETE FROM audit_log WHERE seq = 1")
            .execute(app.state.db.pool())
            .await
            .is_err()
    );

    // Someone with the database rewrites an entry: verify names it.
    drop_append_only_triggers(&app).await;
    sqlx::query("UPDATE audit_log SET actor = 'someone-else@hotline.example' WHERE seq = 3")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let (ok, output) = verify(&app);
    assert!(!ok, "{output}");
    assert!(output.contains("broken at entry 3: altered"), "{output}");
}

#[tokio::test]
async fn a_removed_or_cut_off_entry_is_found() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let analyst = signed_in(&app, &team.analyst).await;
    for _ in 0..3 {
        analyst.get("/admin/account").await;
        analyst
            .post(
                "/admin/account/recovery-codes",
                &[("password", &team.analyst.password)],
            )
            .await;
    }
    assert!(verify(&app).0);
    drop_append_only_triggers(&app).await;
    let (last,): (i64,) = sqlx::query_as("SELECT MAX(seq) FROM audit_log")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    // The last entry removed: the head no longer matches.
    sqlx::query("DELETE FROM audit_log WHERE seq = $1")
        .bind(last)
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let (ok, output) = verify(&app);
    assert!(!ok && output.contains(&format!("entry {last}")), "{output}");
    // One in the middle removed.
    sqlx::query("DELETE FROM audit_log WHERE seq = 2")
        .execute(app.state.db.pool())
        .await
        .unwrap();
    let (ok, output) = verify(&app);
    assert!(!ok && output.contains("entry 2: missing entry"), "{output}");
}

#[tokio::test]
async fn administrators_read_the_log_with_filters_and_others_may_not() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let report_id = report(&app, "audited").await;
    let analyst = signed_in(&app, &team.analyst).await;
    analyst.get(&format!("/admin/reports/{report_id}")).await;
    assert_eq!(analyst.get("/admin/audit").await.status(), 403);
    let supervisor = signed_in(&app, &team.supervisor).await;
    assert_eq!(supervisor.get("/admin/audit").await.status(), 403);

    let admin = signed_in(&app, &team.admin).await;
    let (status, page) = admin.page("/admin/audit?lang=en").await;
    assert_eq!(status, 200);
    assert!(page.contains("<td>Viewed a report</td>") && page.contains("<td>Signed in</td>"));
    assert!(page.contains(&format!("<td>{}</td>", team.analyst.email)));
    let (_, page) = admin
        .page(&format!(
            "/admin/audit?lang=en&action=report-viewed&object={report_id}"
        ))
        .await;
    assert!(
        page.contains("<td>Viewed a report</td>") && !page.contains("<td>Signed in</td>"),
        "{page}"
    );
    let (status, _) = admin.page("/admin/audit?from=someday").await;
    assert_eq!(status, 422);
    let actions: Vec<String> = audit_actions(&app)
        .await
        .into_iter()
        .map(|(a, _, _)| a)
        .collect();
    assert!(actions.contains(&"audit-log-viewed".to_string()));
}
