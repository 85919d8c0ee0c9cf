//! Export of a case as an NCMEC CyberTipline report (the `report` element of
//! the CyberTipline Reporting API), for hotlines that work with NCMEC. The
//! incident type comes from Ward's category through [`INCIDENT_TYPES`]; the
//! reporter's contact details go only where the reporter agreed that the
//! authorities may contact them.

use std::io::Cursor;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use crate::domain::actor::{Actor, Permission};
use crate::domain::audit::{self, Action, Entry};
use crate::domain::cases::{self, open_json};
use crate::domain::questionnaire::{self, QuestionType};
use crate::domain::reports::ReportContent;
use crate::domain::time::rfc3339;
use crate::domain::{Context, DomainError, DomainResult};
use crate::i18n::english;
use crate::storage::organisations;

/// The incident types NCMEC publishes for the CyberTipline.
pub const PUBLISHED_INCIDENT_TYPES: &[&str] = &[
    "Child Pornography (possession, manufacture, and distribution)",
    "Child Sex Trafficking",
    "Child Sex Tourism",
    "Child Sexual Molestation",
    "Misleading Domain Name",
    "Misleading Words or Digital Images on the Internet",
    "Online Enticement of Children for Sexual Acts",
    "Unsolicited Obscene Material Sent to a Child",
];

/// Ward's categories and the incident type each becomes.
pub const INCIDENT_TYPES: &[(&str, &str)] = &[
    (
        "abuse-material",
        "Child Pornography (possession, manufacture, and distribution)",
    ),
    ("trafficking", "Child Sex Trafficking"),
    ("prostitution", "Child Sex Trafficking"),
    ("travel-tourism", "Child Sex Tourism"),
    ("other", "Child Sexual Molestation"),
];

/// The incident type of a category.
pub fn incident_type(category: &str) -> &'static str {
    INCIDENT_TYPES
        .iter()
        .find(|(c, _)| *c == category)
        .map_or("Child Sexual Molestation", |(_, t)| *t)
}

type XmlWriter = Writer<Cursor<Vec<u8>>>;

fn element(w: &mut XmlWriter, name: &str, text: &str) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    w.write_event(Event::Text(BytesText::new(text)))?;
    w.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

fn open(w: &mut XmlWriter, name: &str) -> std::io::Result<()> {
    w.write_event(Event::Start(BytesStart::new(name)))?;
    Ok(())
}

fn close(w: &mut XmlWriter, name: &str) -> std::io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))?;
    Ok(())
}

/// The case as CyberTipline XML; recorded in the audit log.
pub async fn export(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
) -> DomainResult<(String, String)> {
    actor.require(Permission::WorkOnReports)?;
    let case = cases::find(ctx, actor, report_id).await?;
    let content: ReportContent = open_json(actor.key()?, &case.sealed_content)?;
    let organisation = organisations::get(ctx.db, &actor.organisation_id)
        .await?
        .ok_or(DomainError::NotFound)?;
    let xml = write(&case, &content, &organisation.name, &actor.email)
        .map_err(|e| DomainError::Delivery(format!("the CyberTipline XML: {e}")))?;
    audit::record(
        ctx.db,
        ctx.key,
        Entry::by(actor, Action::Exported, "report", &case.id).with_detail("CyberTipline XML"),
    )
    .await?;
    Ok((
        format!("cybertipline-{}.xml", cases::reference(&case.id)),
        xml,
    ))
}

fn write(
    case: &crate::storage::cases::CaseRow,
    content: &ReportContent,
    organisation: &str,
    analyst: &str,
) -> std::io::Result<String> {
    let reported = case.reported_category.as_deref().unwrap_or(&case.category);
    let questionnaire = questionnaire::for_category(reported);
    let kind = |id: &str| questionnaire.and_then(|q| q.question(id)).map(|q| q.kind);
    // Web addresses become web page incidents; the rest, readable, goes to additional information.
    let mut urls = Vec::new();
    let mut about_person = Vec::new();
    let mut other = Vec::new();
    for (id, value) in &content.answers {
        let texts: Vec<String> = match value {
            serde_json::Value::String(s) => vec![s.clone()],
            serde_json::Value::Array(a) => a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            v => vec![v.to_string()],
        };
        if kind(id) == Some(QuestionType::Urls) {
            urls.extend(texts.iter().flat_map(|t| t.lines().map(str::to_string)));
            continue;
        }
        let words: Vec<String> = texts
            .iter()
            .map(|t| match kind(id) {
                Some(QuestionType::Choice | QuestionType::Choices) => {
                    english(&format!("opt-{id}-{t}"))
                }
                Some(QuestionType::Country) => crate::i18n::country_name("en", t),
                _ => t.clone(),
            })
            .collect();
        let line = format!("{}: {}", english(&format!("q-{id}")), words.join(", "));
        if id.starts_with("offender") {
            about_person.push(line);
        } else {
            other.push(line);
        }
    }
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let mut report = BytesStart::new("report");
    report.push_attribute(("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"));
    report.push_attribute((
        "xsi:noNamespaceSchemaLocation",
        "https://report.cybertip.org/ispws/xsd",
    ));
    w.write_event(Event::Start(report))?;

    open(&mut w, "incidentSummary")?;
    element(&mut w, "incidentType", incident_type(&case.category))?;
    element(&mut w, "incidentDateTime", &rfc3339(case.created_at))?;
    close(&mut w, "incidentSummary")?;

    open(&mut w, "internetDetails")?;
    for url in urls.iter().filter(|u| !u.trim().is_empty()) {
        open(&mut w, "webPageIncident")?;
        element(&mut w, "url", url.trim())?;
        close(&mut w, "webPageIncident")?;
    }
    close(&mut w, "internetDetails")?;

    open(&mut w, "reporter")?;
    open(&mut w, "reportingPerson")?;
    element(&mut w, "lastName", organisation)?;
    element(&mut w, "email", analyst)?;
    close(&mut w, "reportingPerson")?;
    if let Some(contact) = content.contact.as_ref().filter(|c| c.may_contact) {
        open(&mut w, "contactPerson")?;
        if let Some(email) = &contact.email {
            element(&mut w, "email", email)?;
        }
        if let Some(phone) = &contact.phone {
            element(&mut w, "phone", phone)?;
        }
        close(&mut w, "contactPerson")?;
    }
    close(&mut w, "reporter")?;

    open(&mut w, "personOrUserReported")?;
    element(&mut w, "additionalInfo", &about_person.join("\n"))?;
    close(&mut w, "personOrUserReported")?;

    open(&mut w, "victim")?;
    let victim = [
        case.age_band.as_deref().map(|a| {
            format!(
                "Apparent age of the youngest child: {}",
                english(&format!("age-{a}"))
            )
        }),
        case.child_gender
            .as_deref()
            .map(|g| format!("Gender: {}", english(&format!("gender-{g}")))),
    ];
    element(
        &mut w,
        "additionalInfo",
        &victim.into_iter().flatten().collect::<Vec<_>>().join("\n"),
    )?;
    close(&mut w, "victim")?;

    element(
        &mut w,
        "additionalInfo",
        &format!(
            "Reported to {organisation}, reference {}, country of the incident: {}.\n{}",
            cases::reference(&case.id),
            crate::i18n::country_name("en", &case.country),
            other.join("\n")
        ),
    )?;
    w.write_event(Event::End(BytesEnd::new("report")))?;
    String::from_utf8(w.into_inner().into_inner()).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_maps_to_a_published_incident_type() {
        for category in crate::domain::reports::CATEGORIES {
            assert!(
                PUBLISHED_INCIDENT_TYPES.contains(&incident_type(category)),
                "{category}"
            );
        }
        for (_, t) in INCIDENT_TYPES {
            assert!(PUBLISHED_INCIDENT_TYPES.contains(t));
        }
    }
}
