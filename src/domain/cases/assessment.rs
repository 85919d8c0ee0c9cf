//! The analysts' assessment of a case: the category (confirmed or changed),
//! the legal assessment, for abuse material the hotline classification, the
//! country of the incident, the priority and the urgent flag with its reason.

use super::codes::{AgeBand, Gender, LegalAssessment, MaterialClassification, Priority};
use super::{annotations, check_text, find};
use crate::domain::actor::{Actor, Permission};
use crate::domain::audit::{Action, Entry};
use crate::domain::change::Change;
use crate::domain::reports::Category;
use crate::domain::values::{CountryCode, optional_choice};
use crate::domain::{Context, DomainError, DomainResult};
use crate::storage::cases::{self, AssessmentColumns, CaseRow};
use crate::storage::now_millis;

/// The category whose cases carry the abuse-material classification.
pub const ABUSE_MATERIAL: &str = "abuse-material";
/// The longest reason for urgency, in characters.
pub const MAX_REASON_CHARS: usize = 2_000;

/// The assessment form as posted: codes, empty for "not assessed".
#[derive(Clone, Debug, Default)]
pub struct AssessmentInput {
    pub category: String,
    pub country: String,
    pub legal_assessment: String,
    pub material_classification: String,
    pub age_band: String,
    pub child_gender: String,
    pub priority: String,
    pub urgent: bool,
    pub urgent_reason: String,
}

/// A parsed assessment; the urgent reason still in clear.
struct Assessment {
    columns: AssessmentColumns,
    urgent_reason: Option<String>,
}

fn parse(input: &AssessmentInput) -> DomainResult<Assessment> {
    let mut errors = Vec::new();
    let category = Category::parse(input.category.trim())
        .map(|c| c.as_str().to_string())
        .map_err(|e| errors.push(e))
        .ok();
    let country = CountryCode::parse(&input.country)
        .map(|c| c.as_str().to_string())
        .map_err(|e| errors.push(e))
        .ok();
    let legal = optional_choice(
        &mut errors,
        "legal_assessment",
        &input.legal_assessment,
        |v| LegalAssessment::parse(v).is_some(),
    );
    let material = optional_choice(
        &mut errors,
        "material_classification",
        &input.material_classification,
        |v| MaterialClassification::parse(v).is_some(),
    );
    let age = optional_choice(&mut errors, "age_band", &input.age_band, |v| {
        AgeBand::parse(v).is_some()
    });
    let gender = optional_choice(&mut errors, "child_gender", &input.child_gender, |v| {
        Gender::parse(v).is_some()
    });
    let priority = match input.priority.trim() {
        "" => Some(Priority::Normal),
        p => Priority::parse(p).or_else(|| {
            errors.push(DomainError::invalid("priority", "invalid-option"));
            None
        }),
    };
    let urgent_reason = if input.urgent {
        check_text(&input.urgent_reason, "urgent_reason", MAX_REASON_CHARS)
            .map(str::to_string)
            .map_err(|e| errors.push(e))
            .ok()
    } else {
        None
    };
    if let Some(error) = DomainError::collect(errors) {
        return Err(error);
    }
    let category = category.unwrap_or_default();
    // The classification belongs to abuse material only.
    let is_material = category == ABUSE_MATERIAL;
    Ok(Assessment {
        columns: AssessmentColumns {
            country: country.unwrap_or_default(),
            legal_assessment: legal,
            material_classification: material.filter(|_| is_material),
            age_band: age.filter(|_| is_material),
            child_gender: gender.filter(|_| is_material),
            priority: priority.unwrap_or(Priority::Normal).level(),
            urgent: input.urgent,
            sealed_urgent_reason: None,
            category,
        },
        urgent_reason,
    })
}

/// Records the assessment; the audit log names the fields that changed,
/// with their codes (never the reason's text).
pub async fn assess(
    ctx: Context<'_>,
    actor: &Actor,
    report_id: &str,
    input: &AssessmentInput,
) -> DomainResult<()> {
    actor.require(Permission::WorkOnReports)?;
    let case = find(ctx, actor, report_id).await?;
    let Assessment {
        mut columns,
        urgent_reason,
    } = parse(input)?;
    if let Some(reason) = &urgent_reason {
        let recipient = annotations::organisation_key(ctx, &actor.organisation_id).await?;
        columns.sealed_urgent_reason = Some(recipient.seal(reason.as_bytes()));
    }
    let changes = changes(&case, &columns, urgent_reason.is_some());
    if changes.is_empty() {
        return Ok(());
    }
    let mut tx = Change::begin(ctx.db, ctx.key).await?;
    cases::set_assessment(&mut tx, &case.id, &columns, now_millis()).await?;
    let entry = Entry::by(actor, Action::AssessmentChanged, "report", &case.id)
        .with_detail(changes.join("; "));
    tx.record(entry).await?;
    tx.commit().await
}

/// `field: old → new` for each field that changes.
fn changes(case: &CaseRow, new: &AssessmentColumns, new_reason: bool) -> Vec<String> {
    let shown = |v: Option<&str>| v.unwrap_or("-").to_string();
    let old_urgent = case.urgent != 0;
    let pairs = [
        (
            "category",
            shown(Some(&case.category)),
            shown(Some(&new.category)),
        ),
        (
            "country",
            shown(Some(&case.country)),
            shown(Some(&new.country)),
        ),
        (
            "legal",
            shown(case.legal_assessment.as_deref()),
            shown(new.legal_assessment.as_deref()),
        ),
        (
            "classification",
            shown(case.material_classification.as_deref()),
            shown(new.material_classification.as_deref()),
        ),
        (
            "age",
            shown(case.age_band.as_deref()),
            shown(new.age_band.as_deref()),
        ),
        (
            "gender",
            shown(case.child_gender.as_deref()),
            shown(new.child_gender.as_deref()),
        ),
        (
            "priority",
            Priority::from_level(case.priority).as_str().to_string(),
            Priority::from_level(new.priority).as_str().to_string(),
        ),
        ("urgent", old_urgent.to_string(), new.urgent.to_string()),
    ];
    let mut out: Vec<String> = pairs
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| format!("{field}: {old} → {new}"))
        .collect();
    if new_reason && old_urgent && new.urgent {
        // The reason is sealed and cannot be compared: say only that it was given again.
        out.push("urgent reason given".into());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AssessmentInput {
        AssessmentInput {
            category: "abuse-material".into(),
            country: "lu".into(),
            legal_assessment: "illegal".into(),
            material_classification: "baseline".into(),
            age_band: "7-10".into(),
            child_gender: "female".into(),
            priority: "high".into(),
            urgent: true,
            urgent_reason: "A child may be in danger now".into(),
        }
    }

    #[test]
    fn a_full_assessment_parses() {
        let a = parse(&input()).unwrap();
        assert_eq!(a.columns.country, "LU");
        assert_eq!(a.columns.priority, 2);
        assert_eq!(a.columns.age_band.as_deref(), Some("7-10"));
        assert_eq!(
            a.urgent_reason.as_deref(),
            Some("A child may be in danger now")
        );
    }

    #[test]
    fn every_wrong_field_is_named_and_urgency_needs_a_reason() {
        let bad = AssessmentInput {
            category: "nothing".into(),
            country: "XX".into(),
            legal_assessment: "maybe".into(),
            urgent_reason: "  ".into(),
            ..input()
        };
        let Err(DomainError::Invalid(fields)) = parse(&bad) else {
            panic!("refused")
        };
        let names: Vec<&str> = fields.iter().map(|f| f.field).collect();
        for field in ["category", "country", "legal_assessment", "urgent_reason"] {
            assert!(names.contains(&field), "{field} in {names:?}");
        }
    }

    #[test]
    fn the_classification_belongs_to_abuse_material_only() {
        let a = parse(&AssessmentInput {
            category: "trafficking".into(),
            ..input()
        })
        .unwrap();
        assert_eq!(a.columns.material_classification, None);
        assert_eq!(a.columns.age_band, None);
    }
}
