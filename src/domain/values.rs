//! Values parsed at the edge: once built, they are valid (parse, don't validate).

use std::fmt;

use zeroize::Zeroizing;

use super::countries::is_iso_country;
use super::{DomainError, DomainResult};

/// An enumeration whose values are stored and posted as fixed codes
/// (`as_str`, `parse`, `ALL`), such as a case's status.
#[macro_export]
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(text: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == text)
            }
        }
    };
}

/// An optional choice from a fixed list, as a form sends it: empty means
/// none; anything else must be `valid`, or the field's error is added to `errors`.
pub fn optional_choice(
    errors: &mut Vec<DomainError>,
    field: &'static str,
    value: &str,
    valid: impl Fn(&str) -> bool,
) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        None
    } else if valid(value) {
        Some(value.to_string())
    } else {
        errors.push(DomainError::invalid(field, "invalid-option"));
        None
    }
}

/// An e-mail address, trimmed and lower-cased.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let email = input.trim().to_lowercase();
        let valid = email.len() <= 254
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            })
            && !email
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == ':');
        if valid {
            Ok(Self(email))
        } else {
            Err(DomainError::invalid("email", "invalid-email"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password of at least 12 characters. Zeroed when dropped; never printed.
pub struct Password(Zeroizing<String>);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_BYTES: usize = 1024;

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        // Trailing newlines come from reading standard input; other spaces are kept.
        let input = input.trim_end_matches(['\r', '\n']);
        if input.chars().count() < Self::MIN_CHARS {
            return Err(DomainError::invalid("password", "invalid-password-short"));
        }
        if input.len() > Self::MAX_BYTES {
            return Err(DomainError::invalid("password", "invalid-password-long"));
        }
        Ok(Self(Zeroizing::new(input.to_string())))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(redacted)")
    }
}

/// What a back-office user may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Admin,
    Supervisor,
    Analyst,
}

impl Role {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        match input.trim() {
            "admin" => Ok(Self::Admin),
            "supervisor" => Ok(Self::Supervisor),
            "analyst" => Ok(Self::Analyst),
            _ => Err(DomainError::invalid("role", "invalid-role")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Supervisor => "supervisor",
            Self::Analyst => "analyst",
        }
    }
}

/// An ISO 3166-1 alpha-2 country code, upper-case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let code = input.trim().to_ascii_uppercase();
        if is_iso_country(&code) {
            Ok(Self(code))
        } else {
            Err(DomainError::invalid("country", "invalid-country"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name of an organisation: 1 to 200 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationName(String);

impl OrganisationName {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let name = input.trim();
        if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
            return Err(DomainError::invalid("organisation", "invalid-organisation"));
        }
        Ok(Self(name.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse(" Ana@Example.ORG ").unwrap().as_str(),
            "ana@example.org"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.org",
            "ana@example",
            "a b@example.org",
            "a@b@c.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse("twelve chars").is_ok());
        assert_eq!(
            Password::parse("twelve chars\n").unwrap().expose(),
            "twelve chars"
        );
        assert!(Password::parse(&"x".repeat(2000)).is_err());
        assert_eq!(
            format!("{:?}", Password::parse("twelve chars").unwrap()),
            "Password(redacted)"
        );
    }

    #[test]
    fn countries_and_roles() {
        assert_eq!(CountryCode::parse("lu").unwrap().as_str(), "LU");
        assert!(CountryCode::parse("XX").is_err());
        assert!(CountryCode::parse("LUX").is_err());
        assert_eq!(Role::parse("supervisor").unwrap(), Role::Supervisor);
        assert!(Role::parse("root").is_err());
    }
}

/// Report categories, from ECPAT's definitions.
pub const CATEGORIES: &[&str] = &[
    "travel-tourism",
    "abuse-material",
    "prostitution",
    "trafficking",
    "other",
];
/// Languages the public site speaks.
pub const LANGUAGES: &[&str] = &["en", "fr", "de", "lb", "pt"];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Category(pub(crate) String);

impl Category {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn parse(input: &str) -> DomainResult<Self> {
        CATEGORIES
            .iter()
            .find(|c| **c == input)
            .map(|c| Self(c.to_string()))
            .ok_or_else(|| DomainError::invalid("category", "invalid-category"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Language(pub(crate) String);

impl Language {
    pub fn parse(input: &str) -> DomainResult<Self> {
        LANGUAGES
            .iter()
            .find(|c| **c == input)
            .map(|c| Self(c.to_string()))
            .ok_or_else(|| DomainError::invalid("language", "invalid-language"))
    }
}
