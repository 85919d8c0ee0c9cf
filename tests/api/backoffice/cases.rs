//! Casework through the case view: answers decrypted, blurred previews
//! revealed one at a time, downloads, assessment, workflow, messages both
//! ways, notes, labels, links, assignment; each audited.

use ward::domain::cases::codes::Status;
use ward::domain::followup;

use super::{
    Browser, attachment_ids, audit_actions, png, report_with_files, signed_in, team, user_id,
};
use crate::helpers::spawn_app;

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn an_analyst_reads_a_case_and_reveals_one_image_at_a_time() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let original = png(200, 120);
    let (report_id, _) = report_with_files(
        &app,
        "Two children with an older man near the pool bar",
        vec![
            ("pool.png", original.clone()),
            (
                "ticket.pdf",
                crate::helpers::pdf_with_text("synthetic ticket"),
            ),
        ],
    )
    .await;
    let ids = attachment_ids(&app, &report_id).await;
    let (image_id, pdf_id) = (&ids[0], &ids[1]);
    let analyst = signed_in(&app, &team.analyst).await;

    // New and unread in the inbox.
    let (_, inbox) = analyst.page("/admin?lang=en").await;
    assert!(
        inbox.contains("class=\"unread\"") && inbox.contains("<strong>New</strong>"),
        "{inbox}"
    );

    // The case view: the answers with the questionnaire's labels, the files.
    let case = format!("/admin/reports/{report_id}");
    let (status, page) = analyst.page(&format!("{case}?lang=en")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Two children with an older man near the pool bar"));
    assert!(
        page.contains("Hotel"),
        "a choice is shown by its label: {page}"
    );
    assert!(page.contains("pool.png") && page.contains("ticket.pdf"));
    assert!(
        page.contains(&format!("{case}/attachments/{image_id}/preview")),
        "{page}"
    );
    assert!(
        !page.contains(&format!("{case}/attachments/{image_id}/image")),
        "not revealed yet"
    );
    let (_, inbox) = analyst.page("/admin").await;
    assert!(
        !inbox.contains("class=\"unread\""),
        "opened: no longer unread"
    );

    // The preview is a small greyscale PNG, not the picture.
    let preview = analyst
        .get(&format!("{case}/attachments/{image_id}/preview"))
        .await;
    assert_eq!(preview.headers()["content-type"], "image/png");
    let preview = image::load_from_memory(&preview.bytes().await.unwrap())
        .unwrap()
        .to_rgb8();
    assert!(
        preview.pixels().all(|p| p[0] == p[1] && p[1] == p[2]),
        "greyscale"
    );
    assert_ne!(preview.width(), 200);

    // The picture itself needs a reveal, which is audited and opens that one image.
    let image = format!("{case}/attachments/{image_id}/image");
    assert_eq!(
        analyst.get(&format!("{image}?pass=forged")).await.status(),
        403
    );
    let r = analyst
        .post(&format!("{case}/attachments/{image_id}/reveal"), &[])
        .await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    let pass = to
        .split("pass=")
        .nth(1)
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .to_string();
    let (_, page) = analyst.page(&to).await;
    assert!(page.contains(&format!("{image}?pass={pass}")));
    let revealed = analyst.get(&format!("{image}?pass={pass}")).await;
    assert_eq!(revealed.status(), 200);
    assert!(
        revealed.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(revealed.bytes().await.unwrap().to_vec(), original);
    // The pass is the analyst's and this image's only.
    let supervisor = signed_in(&app, &team.supervisor).await;
    assert_eq!(
        supervisor
            .get(&format!("{image}?pass={pass}"))
            .await
            .status(),
        403
    );
    let pdf_with_pass = format!("{case}/attachments/{pdf_id}/image?pass={pass}");
    assert_ne!(analyst.get(&pdf_with_pass).await.status(), 200);

    // Other files download on request only.
    let r = analyst
        .post(&format!("{case}/attachments/{pdf_id}/download"), &[])
        .await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"ticket.pdf\"")
    );
    assert_eq!(r.headers()["content-type"], "application/octet-stream");
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-1.7"));

    let audit = audit_actions(&app).await;
    let count = |action: &str, object: &str| {
        audit
            .iter()
            .filter(|(a, o, _)| a == action && o.as_deref() == Some(object))
            .count()
    };
    assert!(count("report-viewed", &report_id) >= 2);
    assert_eq!(count("attachment-revealed", image_id), 1);
    assert_eq!(count("attachment-downloaded", pdf_id), 1);
    assert!(
        audit
            .iter()
            .all(|(_, _, d)| !d.as_deref().unwrap_or("").contains("pool bar")),
        "no content in the audit log"
    );
}

#[tokio::test]
async fn a_case_is_assessed_discussed_with_the_reporter_and_closed() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let (report_id, receipt) = report_with_files(&app, "Seen in the lobby", Vec::new()).await;
    let other = super::report(&app, "The same man, another day").await;
    let analyst = signed_in(&app, &team.analyst).await;
    let supervisor = signed_in(&app, &team.supervisor).await;
    let case = format!("/admin/reports/{report_id}");

    // Assessment: every wrong field is named; urgency needs a reason.
    let (status, page) = analyst
        .submit(
            &format!("{case}/assessment"),
            &[
                ("category", "nothing"),
                ("country", "XX"),
                ("urgent", "yes"),
            ],
        )
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("href=\"#category\"") && page.contains("href=\"#urgent_reason\""),
        "{page}"
    );
    let r = analyst
        .post(
            &format!("{case}/assessment"),
            &[
                ("category", "abuse-material"),
                ("country", "LU"),
                ("legal_assessment", "illegal"),
                ("material_classification", "baseline"),
                ("age_band", "7-10"),
                ("child_gender", "female"),
                ("priority", "high"),
                ("urgent", "yes"),
                ("urgent_reason", "The child may be there tonight"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = analyst
        .page(&format!(
            "{}&lang=en",
            location(&r).split('#').next().unwrap()
        ))
        .await;
    assert!(page.contains("The assessment was saved"));
    assert!(page.contains("Baseline (illegal in every country)") && page.contains("7 to 10 years"));
    assert!(page.contains("The child may be there tonight"));
    let (sealed,): (Vec<u8>,) =
        sqlx::query_as("SELECT sealed_urgent_reason FROM reports WHERE id = $1")
            .bind(&report_id)
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert!(
        !String::from_utf8_lossy(&sealed).contains("tonight"),
        "the reason is sealed"
    );
    let detail = audit_actions(&app)
        .await
        .into_iter()
        .find(|(a, _, _)| a == "assessment-changed")
        .and_then(|(_, _, d)| d)
        .unwrap();
    assert!(
        detail.contains("category: travel-tourism → abuse-material")
            && detail.contains("urgent: false → true")
    );
    assert!(!detail.contains("tonight"));

    // A question to the reporter, who reads it with the receipt code and answers.
    let r = analyst
        .post(
            &format!("{case}/messages"),
            &[("message", "Which floor was the room on?"), ("wait", "yes")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let view = followup::open(app.state.ctx(), &receipt)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(view.status, Status::WaitingForReporter);
    assert_eq!(view.messages[0].body, "Which floor was the room on?");
    followup::add_information(app.state.ctx(), &receipt, "The third floor.", Vec::new())
        .await
        .unwrap();
    let (_, inbox) = analyst.page("/admin").await;
    assert!(
        inbox.contains("class=\"unread\""),
        "the answer makes the case unread again"
    );
    let (_, page) = analyst.page(&format!("{case}?lang=en")).await;
    assert!(
        page.contains("The third floor.") && page.contains("In assessment"),
        "{page}"
    );

    // Internal notes are sealed and never reach the reporter.
    assert_eq!(
        analyst
            .post(
                &format!("{case}/notes"),
                &[("note", "Check the staff list of the hotel")]
            )
            .await
            .status(),
        303
    );
    let (body,): (Vec<u8>,) = sqlx::query_as("SELECT sealed_body FROM notes")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert!(!String::from_utf8_lossy(&body).contains("staff list"));
    let view = followup::open(app.state.ctx(), &receipt)
        .await
        .unwrap()
        .unwrap();
    assert!(view.messages.iter().all(|m| !m.body.contains("staff list")));

    // Labels and links.
    analyst
        .post(
            &format!("{case}/labels"),
            &[("action", "add"), ("label", "hotel chain")],
        )
        .await;
    let reference = ward::domain::cases::reference(&other);
    let r = analyst
        .post(
            &format!("{case}/links"),
            &[
                ("action", "add"),
                ("reference", &reference),
                ("kind", "related"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (_, page) = analyst.page(&format!("{case}?lang=en")).await;
    assert!(page.contains("Check the staff list of the hotel"));
    assert!(page.contains("hotel chain") && page.contains(&reference));
    let (_, other_page) = analyst.page(&format!("/admin/reports/{other}")).await;
    assert!(
        other_page.contains(&ward::domain::cases::reference(&report_id)),
        "links go both ways"
    );

    // Assignment is a supervisor's; so is closing, which needs a reason.
    let analyst_id = user_id(&app, &team.analyst.email).await;
    assert_eq!(
        analyst
            .post(&format!("{case}/assign"), &[("assignee", &analyst_id)])
            .await
            .status(),
        403
    );
    assert_eq!(
        supervisor
            .post(&format!("{case}/assign"), &[("assignee", &analyst_id)])
            .await
            .status(),
        303
    );
    let (_, mine) = analyst.page("/admin?assignee=me").await;
    assert!(mine.contains(&report_id) && !mine.contains(&other));
    assert_eq!(
        analyst
            .post(
                &format!("{case}/close"),
                &[("reason", "forwarded-to-authority")]
            )
            .await
            .status(),
        403
    );
    let (status, page) = supervisor
        .submit(&format!("{case}/close"), &[("reason", "")])
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("href=\"#reason\""));
    assert_eq!(
        supervisor
            .post(
                &format!("{case}/close"),
                &[("reason", "forwarded-to-authority")]
            )
            .await
            .status(),
        303
    );
    let view = followup::open(app.state.ctx(), &receipt)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(view.status, Status::Closed);
    assert_eq!(followup::status_message_id(view.status), "status-closed");
    // Closing a duplicate links it to the original.
    let (status, _) = supervisor
        .submit(
            &format!("/admin/reports/{other}/close"),
            &[("reason", "duplicate")],
        )
        .await;
    assert_eq!(status, 422, "a duplicate names its original");
    let original = ward::domain::cases::reference(&report_id);
    let r = supervisor
        .post(
            &format!("/admin/reports/{other}/close"),
            &[("reason", "duplicate"), ("duplicate_of", &original)],
        )
        .await;
    assert_eq!(r.status(), 303);
    let (kind,): (String,) = sqlx::query_as(
        "SELECT kind FROM report_links WHERE report_id = $1 AND other_report_id = $2",
    )
    .bind(&other)
    .bind(&report_id)
    .fetch_one(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(kind, "duplicate");
    // Reopening is a supervisor's decision too.
    assert_eq!(
        analyst.post(&format!("{case}/reopen"), &[]).await.status(),
        403
    );
    assert_eq!(
        supervisor
            .post(&format!("{case}/reopen"), &[])
            .await
            .status(),
        303
    );

    let actions: Vec<String> = audit_actions(&app)
        .await
        .into_iter()
        .map(|(a, _, _)| a)
        .collect();
    for expected in [
        "assessment-changed",
        "message-sent",
        "status-changed",
        "note-added",
        "label-added",
        "link-added",
        "assigned",
        "case-closed",
        "case-reopened",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected} in {actions:?}"
        );
    }
}

#[tokio::test]
async fn bulk_actions_change_the_reports_selected() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let a = super::report(&app, "first").await;
    let b = super::report(&app, "second").await;
    let c = super::report(&app, "third").await;
    let analyst = signed_in(&app, &team.analyst).await;
    let selected = [a.as_str(), b.as_str()];
    assert_eq!(
        bulk(
            &analyst,
            &selected,
            &[("action", "label"), ("label", "batch one")]
        )
        .await,
        303
    );
    assert_eq!(
        bulk(
            &analyst,
            &selected,
            &[("action", "status"), ("status", "in-assessment")]
        )
        .await,
        303
    );
    assert_eq!(
        bulk(
            &analyst,
            &selected,
            &[("action", "assign"), ("assignee", "")]
        )
        .await,
        403
    );
    assert_eq!(
        bulk(
            &analyst,
            &selected,
            &[("action", "status"), ("status", "closed")]
        )
        .await,
        422
    );
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT id, status, (SELECT COUNT(*) FROM report_labels l WHERE l.report_id = r.id) FROM reports r ORDER BY id",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    for (id, status, labels) in rows {
        let selected = id == a || id == b;
        assert_eq!(
            status,
            if selected { "in-assessment" } else { "new" },
            "{id}"
        );
        assert_eq!(labels, i64::from(selected));
        assert!(selected || id == c);
    }
    let nothing = analyst
        .post(
            "/admin/reports/bulk",
            &[("action", "label"), ("label", "x")],
        )
        .await;
    assert_eq!(nothing.status(), 422);
}

async fn bulk(browser: &Browser, ids: &[&str], action: &[(&str, &str)]) -> u16 {
    let mut fields: Vec<(&str, &str)> = ids.iter().map(|id| ("ids", *id)).collect();
    fields.extend_from_slice(action);
    browser
        .post("/admin/reports/bulk", &fields)
        .await
        .status()
        .as_u16()
}
