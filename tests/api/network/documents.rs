//! The documents Ward produces for others: the referral's JSON validates
//! against its published schema, and the NCMEC CyberTipline export is
//! well-formed XML with one of the published incident types.

use quick_xml::Reader;
use quick_xml::events::Event;
use ward::domain::referrals::cybertipline::PUBLISHED_INCIDENT_TYPES;

use super::{add_recipient, referrals_of, unzip};
use crate::backoffice::{Browser, signed_in, team};
use crate::helpers::{TestApp, spawn_app};

/// A report through the API; returns its id (the newest report).
async fn api_report(app: &TestApp, body: serde_json::Value) -> String {
    let r = app.post_report(&body).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let (id,): (String,) =
        sqlx::query_as("SELECT id FROM reports ORDER BY created_at DESC, id DESC LIMIT 1")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    id
}

fn abuse_material_report() -> serde_json::Value {
    serde_json::json!({
        "category": "abuse-material",
        "country": "NL",
        "language": "fr",
        "answers": {
            "urls": "https://example.org/gallery/1\nhttps://example.org/gallery/2",
            "where_found": "forum",
            "children_count": 3,
            "children_ages": ["6-12", "13-17"],
            "description": "Found via a search: <b>links</b> & \"thumbnails\" ]]>",
        },
        "contact": { "email": "reporter@example.org", "phone": "+352 621 000 000", "may_contact": true }
    })
}

/// The referral document of a referral prepared by hand with every answer.
async fn referral_json(
    app: &TestApp,
    analyst: &Browser,
    report: &str,
    recipient: &str,
) -> serde_json::Value {
    let answers = [
        "urls",
        "where_found",
        "children_count",
        "children_ages",
        "description",
    ];
    let mut fields = vec![
        ("recipients", recipient),
        ("include_contact", "yes"),
        (
            "summary",
            "Links reported on a forum; please have them taken down.",
        ),
    ];
    fields.extend(answers.iter().map(|a| ("answers", *a)));
    let r = analyst
        .post(&format!("/admin/reports/{report}/referrals"), &fields)
        .await;
    assert_eq!(r.status(), 303);
    let referral = referrals_of(app, report).await.remove(0).0;
    let r = analyst
        .post(
            &format!("/admin/reports/{report}/referrals/{referral}/download"),
            &[],
        )
        .await;
    let files = unzip(&r.bytes().await.unwrap());
    serde_json::from_slice(&files.iter().find(|(n, _)| n == "referral.json").unwrap().1).unwrap()
}

#[tokio::test]
async fn the_referral_document_validates_against_its_published_schema() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let admin = signed_in(&app, &team.admin).await;
    let recipient = add_recipient(
        &admin,
        &[
            ("name", "INHOPE partner"),
            ("country", "NL"),
            ("kind", "platform"),
        ],
    )
    .await;
    let report = api_report(&app, abuse_material_report()).await;
    let analyst = signed_in(&app, &team.analyst).await;
    let document = referral_json(&app, &analyst, &report, &recipient).await;

    // The schema as every instance publishes it.
    let r = app.get("/api/v1/referral.schema.json").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/schema+json");
    let schema: serde_json::Value = r.json().await.unwrap();
    assert_eq!(document["$schema"], schema["$id"]);
    let validator = jsonschema::validator_for(&schema).expect("the schema is valid");
    let errors: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{document:#}");
    assert_eq!(document["contact"]["phone"], "+352 621 000 000");
    assert_eq!(document["answers"].as_array().unwrap().len(), 5);
    // In the questionnaire's order, page by page (not alphabetical).
    let order: Vec<(&str, &str)> = document["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["page"].as_str().unwrap(), a["id"].as_str().unwrap()))
        .collect();
    let page = |id: &str| ward::i18n::english(&format!("page-{id}"));
    let (online, children, what) = (page("online"), page("children"), page("what-happened"));
    assert_eq!(
        order,
        [
            (online.as_str(), "urls"),
            (online.as_str(), "where_found"),
            (children.as_str(), "children_count"),
            (children.as_str(), "children_ages"),
            (what.as_str(), "description"),
        ]
    );

    // A control: the validator does refuse documents that break the schema.
    for broken in [
        {
            let mut d = document.clone();
            d.as_object_mut().unwrap().remove("case");
            d
        },
        {
            let mut d = document.clone();
            d["referral"]["channel"] = "carrier pigeon".into();
            d
        },
        {
            let mut d = document.clone();
            d["unexpected"] = true.into();
            d
        },
    ] {
        assert!(!validator.is_valid(&broken));
    }
}

/// Reads every event of an XML document; fails if it is not well-formed.
/// Returns the text of each element by its path (`report/incidentSummary/incidentType`).
fn read_xml(xml: &str) -> Vec<(String, String)> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut path: Vec<String> = Vec::new();
    let mut texts = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(e) => path.push(String::from_utf8(e.name().as_ref().to_vec()).unwrap()),
            Event::End(_) => {
                path.pop();
            }
            Event::Text(t) => {
                let text = t.unescape().expect("valid escapes").to_string();
                if !text.trim().is_empty() {
                    texts.push((path.join("/"), text));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(path.is_empty(), "every element is closed");
    texts
}

#[tokio::test]
async fn the_cybertipline_export_is_well_formed_with_a_published_incident_type() {
    let app = spawn_app().await;
    let team = team(&app).await;
    let analyst = signed_in(&app, &team.analyst).await;
    let report = api_report(&app, abuse_material_report()).await;
    let r = analyst
        .post(&format!("/admin/reports/{report}/cybertipline"), &[])
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/xml");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("cybertipline-")
    );
    let xml = r.text().await.unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let texts = read_xml(&xml);
    let text_of = |path: &str| -> Vec<&str> {
        texts
            .iter()
            .filter(|(p, _)| p == path)
            .map(|(_, t)| t.as_str())
            .collect()
    };
    let incident = text_of("report/incidentSummary/incidentType");
    assert_eq!(incident.len(), 1);
    assert!(
        PUBLISHED_INCIDENT_TYPES.contains(&incident[0]),
        "{}",
        incident[0]
    );
    assert_eq!(
        incident[0],
        "Child Pornography (possession, manufacture, and distribution)"
    );
    assert_eq!(
        text_of("report/internetDetails/webPageIncident/url"),
        [
            "https://example.org/gallery/1",
            "https://example.org/gallery/2"
        ]
    );
    assert_eq!(
        text_of("report/reporter/contactPerson/email"),
        ["reporter@example.org"]
    );
    // The reporter's words survive the escaping intact.
    assert!(
        text_of("report/additionalInfo")[0]
            .contains("Found via a search: <b>links</b> & \"thumbnails\" ]]>")
    );

    // A travel and tourism case becomes "Child Sex Tourism"; without consent, no contact person.
    let mut body = crate::helpers::sample_report("seen at the hotel");
    body["contact"]["may_contact"] = false.into();
    let report = api_report(&app, body).await;
    let xml = analyst
        .post(&format!("/admin/reports/{report}/cybertipline"), &[])
        .await
        .text()
        .await
        .unwrap();
    let texts = read_xml(&xml);
    assert!(
        texts.contains(&(
            "report/incidentSummary/incidentType".to_string(),
            "Child Sex Tourism".to_string()
        )),
        "{xml}"
    );
    assert!(!xml.contains("reporter@example.org"));

    // The export is recorded.
    let (count,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'exported'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(count, 2);
}
