//! Transfer of a case to another organisation of the instance: the
//! receiving organisation reads its copy (answers, files, conversation),
//! the sender keeps its case and the record, and nobody else can read it.

use super::{add_hotline, report_with_contact};
use crate::backoffice::{attachment_ids, png, signed_in, team};
use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, spawn_app};

#[tokio::test]
async fn a_transferred_case_is_read_by_the_receiving_organisation_only() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let pt = add_hotline(&app, "Hotline Portugal", "PT", "admin@hotline-pt.example").await;
    let fr = add_hotline(&app, "Hotline France", "FR", "admin@hotline-fr.example").await;
    let image = png(40, 30);
    let report = report_with_contact(
        &app,
        "the offender lives in Porto",
        vec![("street.png", image.clone())],
        true,
    )
    .await;
    let supervisor = signed_in(&app, &team.supervisor).await;
    let r = supervisor
        .post(
            &format!("/admin/reports/{report}/messages"),
            &[("message", "Which street was it?")],
        )
        .await;
    assert_eq!(r.status(), 303);

    // Analysts cannot transfer; supervisors can, to another organisation only.
    let analyst = signed_in(&app, &team.analyst).await;
    let transfer = format!("/admin/reports/{report}/transfer");
    assert_eq!(
        analyst
            .post(&transfer, &[("organisation", &pt.id)])
            .await
            .status(),
        403
    );
    let own = super::coordinating_id(&app).await;
    assert_eq!(
        supervisor
            .post(&transfer, &[("organisation", &own)])
            .await
            .status(),
        422
    );
    let r = supervisor
        .post(&transfer, &[("organisation", &pt.id)])
        .await;
    assert_eq!(r.status(), 303);
    let (copy,): (String,) =
        sqlx::query_as("SELECT to_report_id FROM transfers WHERE from_report_id = $1")
            .bind(&report)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_ne!(copy, report);

    // The receiving organisation reads the copy: answers, file and conversation.
    let pt_admin = signed_in(&app, &pt.admin).await;
    let (_, inbox) = pt_admin.page("/admin").await;
    assert!(inbox.contains(&ward::domain::cases::reference(&copy)));
    let (status, page) = pt_admin.page(&format!("/admin/reports/{copy}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("the offender lives in Porto"));
    assert!(page.contains("Which street was it?"));
    assert!(page.contains("Received from Hotline Luxembourg"));
    let files = attachment_ids(&app, &copy).await;
    let r = pt_admin
        .post(
            &format!("/admin/reports/{copy}/attachments/{}/download", files[0]),
            &[],
        )
        .await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.unwrap();
    assert_eq!(
        image::load_from_memory(&bytes).unwrap().width(),
        40,
        "the file arrives whole"
    );

    // The sender keeps its case, readable, with the record of the transfer.
    let (status, page) = supervisor.page(&format!("/admin/reports/{report}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("the offender lives in Porto"));
    assert!(page.contains("Transferred to Hotline Portugal"));

    // Nobody else: not the sender through the copy, not a third organisation.
    assert_eq!(
        supervisor
            .get(&format!("/admin/reports/{copy}"))
            .await
            .status(),
        404
    );
    assert_eq!(
        pt_admin
            .get(&format!("/admin/reports/{report}"))
            .await
            .status(),
        404
    );
    let fr_admin = signed_in(&app, &fr.admin).await;
    for id in [&report, &copy] {
        assert_eq!(
            fr_admin.get(&format!("/admin/reports/{id}")).await.status(),
            404
        );
    }
    // And by the keys: only the receiving organisation's opens the copy.
    let (sealed,): (Vec<u8>,) = sqlx::query_as("SELECT sealed_content FROM reports WHERE id = $1")
        .bind(&copy)
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let lu_key = app.unlock(ADMIN_EMAIL, ADMIN_PASSWORD).await.unwrap();
    let pt_key = app
        .unlock(&pt.admin.email, &pt.admin.password)
        .await
        .unwrap();
    let fr_key = app
        .unlock(&fr.admin.email, &fr.admin.password)
        .await
        .unwrap();
    assert!(pt_key.organisation_key().unwrap().open(&sealed).is_ok());
    assert!(lu_key.organisation_key().unwrap().open(&sealed).is_err());
    assert!(fr_key.organisation_key().unwrap().open(&sealed).is_err());

    // Both sides' audit logs record it.
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT organisation_id, object_id FROM audit_log WHERE action = 'transferred' ORDER BY seq",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(
        rows,
        [
            (own, Some(report.clone())),
            (pt.id.clone(), Some(copy.clone()))
        ]
    );
}
