//! The inbox: new reports first, every filter, every sort, and pages that
//! follow each other without gaps or repeats.

use std::collections::HashSet;

use super::{Browser, signed_in, team, user_id};
use crate::helpers::{TestApp, spawn_app};

const DAY: i64 = 86_400_000;
/// 2026-01-01 00:00 UTC.
const START: i64 = 1_767_225_600_000;

/// Inserts `n` reports with varied casework directly (the inbox opens nothing sealed).
async fn fill(app: &TestApp, n: usize, assignee: &str) -> Vec<String> {
    let (organisation_id,): (String,) = sqlx::query_as("SELECT id FROM organisations")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let categories = [
        "travel-tourism",
        "abuse-material",
        "prostitution",
        "trafficking",
        "other",
    ];
    let countries = ["LU", "TH", "PT", "FR"];
    let statuses = [
        "new",
        "in-assessment",
        "waiting-for-reporter",
        "forwarded",
        "closed",
    ];
    let mut ids = Vec::new();
    for i in 0..n {
        let id = uuid::Uuid::new_v4().to_string();
        let status = statuses[i % 5];
        sqlx::query(
            "INSERT INTO reports (id, organisation_id, receipt_hash, category, country, language, status, \
             sealed_content, created_at, reported_category, inbox_rank, priority, urgent, assignee_id, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $4, $10, $11, $12, $13, $9)",
        )
        .bind(&id)
        .bind(&organisation_id)
        .bind(format!("hash-{id}"))
        .bind(categories[i % 5])
        .bind(countries[i % 4])
        .bind(if i % 3 == 0 { "fr" } else { "en" })
        .bind(status)
        .bind(vec![0u8; 8])
        // Every report on a day of its own, some on the same millisecond.
        .bind(START + (i as i64 / 2) * DAY)
        .bind(i64::from(status == "new"))
        .bind((i % 3) as i64)
        .bind(i64::from(i % 7 == 0))
        .bind((i % 4 == 0).then_some(assignee))
        .execute(app.state.db.pool())
        .await
        .unwrap();
        ids.push(id);
    }
    ids
}

/// The report ids on a page, in order, and the link to the next page.
fn rows(page: &str) -> (Vec<String>, Option<String>) {
    let ids = page
        .split("name=\"ids\" value=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap().to_string())
        .collect();
    let next = page.split("<a href=\"").skip(1).find_map(|rest| {
        let (href, text) = rest.split_once("\">")?;
        text.starts_with("Next page")
            .then(|| href.replace("&amp;", "&").replace("&#38;", "&"))
    });
    (ids, next)
}

/// Every report an inbox query lists, following the pages.
async fn all_pages(browser: &Browser, query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut next = Some(format!("/admin?lang=en&{query}"));
    let mut pages = 0;
    while let Some(path) = next {
        pages += 1;
        assert!(pages <= 10, "the pages never end: {path}");
        let (status, page) = browser.page(&path).await;
        assert_eq!(status, 200, "{path}: {page}");
        let (ids, following) = rows(&page);
        assert!(ids.len() <= 50);
        out.extend(ids);
        next = following;
    }
    out
}

#[tokio::test]
async fn filters_sorts_and_pages_list_exactly_the_right_reports() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let analyst_id = user_id(&app, &team.analyst.email).await;
    let ids = fill(&app, 123, &analyst_id).await;
    let browser = signed_in(&app, &team.analyst).await;

    // The default order: new reports first, newest first; 123 reports in 3 pages.
    let listed = all_pages(&browser, "").await;
    assert_eq!(listed.len(), 123);
    assert_eq!(
        listed.iter().collect::<HashSet<_>>().len(),
        123,
        "no repeats"
    );
    let new: Vec<usize> = (0..123).filter(|i| i % 5 == 0).collect();
    let first_new: Vec<&String> = listed.iter().take(new.len()).collect();
    assert!(
        first_new
            .iter()
            .all(|id| new.contains(&ids.iter().position(|x| x == *id).unwrap()))
    );
    let position = |id: &String| ids.iter().position(|x| x == id).unwrap();
    let created = |i: usize| i / 2;
    for pair in listed[new.len()..].windows(2) {
        assert!(
            created(position(&pair[0])) >= created(position(&pair[1])),
            "newest first"
        );
    }

    // Each filter lists exactly the matching reports.
    let expect = |query: &str, matches: &dyn Fn(usize) -> bool| {
        let expected: HashSet<String> = (0..123)
            .filter(|i| matches(*i))
            .map(|i| ids[i].clone())
            .collect();
        (query.to_string(), expected)
    };
    let cases = [
        expect("status=closed", &|i| i % 5 == 4),
        expect("category=trafficking", &|i| i % 5 == 3),
        expect("country=th", &|i| i % 4 == 1),
        expect("language=fr", &|i| i % 3 == 0),
        expect("assignee=me", &|i| i % 4 == 0),
        expect("assignee=nobody", &|i| i % 4 != 0),
        expect("priority=urgent", &|i| i % 7 == 0),
        expect("priority=high", &|i| i % 3 == 2),
        expect("from=2026-01-11&until=2026-01-20", &|i| {
            (10..=19).contains(&created(i))
        }),
        expect("status=new&country=LU&sort=oldest", &|i| {
            i % 5 == 0 && i % 4 == 0
        }),
    ];
    for (query, expected) in cases {
        let listed = all_pages(&browser, &query).await;
        assert_eq!(
            listed.iter().cloned().collect::<HashSet<_>>(),
            expected,
            "{query}"
        );
        assert_eq!(listed.len(), expected.len(), "{query}: no repeats");
    }

    // Each sort, across pages.
    let oldest = all_pages(&browser, "sort=oldest").await;
    assert_eq!(oldest.len(), 123);
    assert!(
        oldest
            .windows(2)
            .all(|w| created(position(&w[0])) <= created(position(&w[1])))
    );
    let by_priority = all_pages(&browser, "sort=priority").await;
    let key = |id: &String| {
        let i = position(id);
        (i % 7 == 0, i % 3)
    };
    assert!(
        by_priority.windows(2).all(|w| key(&w[0]) >= key(&w[1])),
        "urgent, then high first"
    );

    // A label, put on two reports.
    let label_ids = [
        ("ids", ids[1].as_str()),
        ("ids", ids[2].as_str()),
        ("action", "label"),
        ("label", "hotel chain"),
    ];
    assert_eq!(
        browser
            .post("/admin/reports/bulk", &label_ids)
            .await
            .status(),
        303
    );
    let (label_id,): (String,) = sqlx::query_as("SELECT id FROM labels")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    let labelled = all_pages(&browser, &format!("label={label_id}")).await;
    assert_eq!(
        labelled.into_iter().collect::<HashSet<_>>(),
        HashSet::from([ids[1].clone(), ids[2].clone()])
    );

    // Wrong filters are named, not ignored.
    let (status, page) = browser
        .page("/admin?lang=en&status=lost&from=yesterday")
        .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("href=\"#status\"") || page.contains("Choose one of the options"),
        "{page}"
    );
    let (status, _) = browser.page("/admin?after=garbage").await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn a_reporters_message_brings_even_a_closed_case_to_the_top_until_it_is_opened() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let (old, receipt) = super::submit_report(&app, "the first report", vec![], None).await;
    for n in 0..3 {
        super::submit_report(&app, &format!("a newer report {n}"), vec![], None).await;
    }
    let supervisor = signed_in(&app, &team.supervisor).await;
    let close = format!("/admin/reports/{old}/close");
    let r = supervisor
        .post(&close, &[("reason", "forwarded-to-authority")])
        .await;
    assert_eq!(r.status(), 303);
    let analyst = signed_in(&app, &team.analyst).await;
    let first_row = |page: &str| rows(page).0.first().cloned();
    let (_, page) = analyst.page("/admin?lang=en").await;
    assert_ne!(
        first_row(&page).as_deref(),
        Some(old.as_str()),
        "closed, it is not on top"
    );

    // The reporter writes on the closed case.
    let r = app
        .post_message(&receipt, "I remembered the car's number plate.")
        .await;
    assert!(r.status().is_success(), "{}", r.status());
    let (_, page) = analyst.page("/admin?lang=en").await;
    assert_eq!(
        first_row(&page).as_deref(),
        Some(old.as_str()),
        "on top of the inbox"
    );
    let row = page.split("<tr").find(|row| row.contains(&old)).unwrap();
    assert!(row.contains("New message from the reporter"), "{row}");

    // A member opens it: the news is seen, and the case takes its place again.
    let (status, _) = analyst.page(&format!("/admin/reports/{old}")).await;
    assert_eq!(status, 200);
    let (_, page) = supervisor.page("/admin?lang=en").await;
    assert_ne!(first_row(&page).as_deref(), Some(old.as_str()));
    assert!(!page.contains("New message from the reporter"));
}
