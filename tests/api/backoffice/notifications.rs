//! E-mail to members through a local SMTP sink: a notification when reports
//! arrive (bursts share one, and nothing of the reports is in it), and the
//! invitation link.

use super::{signed_in, team};
use crate::helpers::{sample_report, spawn_app_with};
use crate::smtp::smtp_sink;

#[tokio::test]
async fn members_hear_of_new_reports_without_any_of_their_content() {
    let (port, received) = smtp_sink().await;
    let app = spawn_app_with(|s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        s.notify_delay_seconds = 1;
    })
    .await;
    let team = team(&app).await;

    // A burst of three reports.
    for i in 0..3 {
        let r = app
            .post_report(&sample_report(&format!("secret detail {i}")))
            .await;
        assert_eq!(r.status(), 201);
    }
    // Three messages, each counting all three reports: every arrival is
    // accounted for, so no later message can come (no sleep to wait for one).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while received.lock().unwrap().len() < 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "no notification within 30 s: {:#?}",
            received.lock().unwrap()
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let messages = received.lock().unwrap().clone();
    assert_eq!(
        messages.len(),
        3,
        "one e-mail to each of the three members: {messages:#?}"
    );
    for member in [
        &team.admin.email,
        &team.supervisor.email,
        &team.analyst.email,
    ] {
        assert!(
            messages
                .iter()
                .any(|m| m.contains(&format!("To: {member}"))),
            "{member}"
        );
    }
    for message in &messages {
        assert!(message.contains("New reports have arrived: 3"), "{message}");
        // The link, whole, to this server (quoted-printable wraps long lines).
        let unwrapped = message.replace("=\r\n", "").replace("=\n", "");
        assert!(
            unwrapped.contains(&format!("{}/admin", app.address)),
            "{message}"
        );
        for secret in [
            "secret detail",
            "Thailand",
            "Hotel Sol",
            "travel",
            "reporter@example.org",
        ] {
            assert!(!message.contains(secret), "{secret} in {message}");
        }
    }

    // An invitation is e-mailed as well as shown.
    let admin = signed_in(&app, &team.admin).await;
    let (status, page) = admin
        .submit(
            "/admin/users/invite",
            &[("email", "invited@hotline.example"), ("role", "analyst")],
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("It was also sent by e-mail"));
    let messages = received.lock().unwrap().clone();
    let invitation = messages
        .iter()
        .find(|m| m.contains("To: invited@hotline.example"))
        .unwrap();
    assert!(invitation.contains("/admin/invitation/"));
}
