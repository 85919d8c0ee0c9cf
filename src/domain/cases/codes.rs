//! The fixed codes of casework: statuses, closing reasons and the
//! assessment's scales. They are stored as text and translated for display
//! (`case-status-…`, `closing-…`, `legal-…`, `class-…`, `age-…`,
//! `gender-…`, `priority-…` in `locales/*/backoffice.ftl`).

crate::code_enum! {
    /// Where a case stands.
    Status {
        New = "new",
        InAssessment = "in-assessment",
        WaitingForReporter = "waiting-for-reporter",
        Forwarded = "forwarded",
        Closed = "closed",
    }
}

crate::code_enum! {
    /// Why a case was closed.
    ClosingReason {
        ForwardedToAuthority = "forwarded-to-authority",
        NotEnoughInformation = "not-enough-information",
        NotIllegal = "not-illegal",
        OutsideRemit = "outside-remit",
        Duplicate = "duplicate",
    }
}

crate::code_enum! {
    /// The legal assessment under national law.
    LegalAssessment {
        Illegal = "illegal",
        NotIllegal = "not-illegal",
        OutsideRemit = "outside-remit",
    }
}

crate::code_enum! {
    /// The hotline classification of abuse material (as INHOPE's hotlines use it).
    MaterialClassification {
        /// Illegal in every country (the INTERPOL baseline).
        Baseline = "baseline",
        NationallyIllegal = "nationally-illegal",
        NotIllegal = "not-illegal",
    }
}

crate::code_enum! {
    /// The apparent age of the youngest child.
    AgeBand {
        Infant = "0-2",
        Young = "3-6",
        Child = "7-10",
        Preteen = "11-13",
        Teen = "14-15",
        OlderTeen = "16-17",
        Unknown = "unknown",
    }
}

crate::code_enum! {
    /// The gender of the children shown.
    Gender {
        Female = "female",
        Male = "male",
        Both = "both",
        Unknown = "unknown",
    }
}

crate::code_enum! {
    /// How soon a case needs work; "urgent" is a separate flag with a reason.
    Priority {
        Low = "low",
        Normal = "normal",
        High = "high",
    }
}

impl Priority {
    /// The number stored and sorted on.
    pub fn level(self) -> i64 {
        match self {
            Priority::Low => 0,
            Priority::Normal => 1,
            Priority::High => 2,
        }
    }

    pub fn from_level(level: i64) -> Self {
        match level {
            ..=0 => Priority::Low,
            1 => Priority::Normal,
            _ => Priority::High,
        }
    }
}

/// A human reference for a report: the first twelve hex digits of its id,
/// like `3F2A-91C2-0B7D`.
pub fn reference(report_id: &str) -> String {
    let hex: Vec<char> = report_id
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(12)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    hex.chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// The id prefix a typed reference stands for (`3f2a91c2-0b7d`), if it is one.
pub fn id_prefix(reference: &str) -> Option<String> {
    let hex: String = reference
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (hex.len() == 12 && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| format!("{}-{}", &hex[..8], &hex[8..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_round_trip_to_id_prefixes() {
        let id = "3f2a91c2-0b7d-4e5f-8a9b-0c1d2e3f4a5b";
        assert_eq!(reference(id), "3F2A-91C2-0B7D");
        assert!(id.starts_with(&id_prefix(&reference(id)).unwrap()));
        assert_eq!(id_prefix("3f2a 91c2 0b7d").unwrap(), "3f2a91c2-0b7d");
        assert_eq!(id_prefix("3F2A-91C2"), None);
        assert_eq!(id_prefix("ZZZZ-91C2-0B7D"), None);
    }

    #[test]
    fn codes_parse_back_and_priorities_order() {
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Some(*s));
        }
        assert_eq!(Status::parse("received"), None);
        for p in Priority::ALL {
            assert_eq!(Priority::from_level(p.level()), *p);
        }
        assert!(Priority::High.level() > Priority::Low.level());
    }
}
