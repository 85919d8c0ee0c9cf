//! `/admin/recipients`: the authorities and partners an organisation refers
//! cases to, for its administrators. One file per concern: the list and
//! the form to add one (`list`), a recipient's page with its details
//! (`detail`), the rules that suggest it for a case (`rules`), its people
//! on the authority portal (`portal_accounts`), and the organisation's
//! OpenPGP key that recipients check referrals with (`openpgp_key`).

mod detail;
mod list;
mod openpgp_key;
mod portal_accounts;
mod rules;

use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::page::{Choice, choices, coded_choices};
use crate::domain::recipients::{Kind, RecipientInput};
use crate::i18n;
use crate::web::backoffice::inbox::codes;
use crate::web::templates::Tr;

pub use detail::{disable, enable, save, show};
pub use list::{create, list};
pub use openpgp_key::openpgp_key;
pub use portal_accounts::{disable_account, enable_account, invite};
pub use rules::rule;

/// The fields of the recipient form, as typed, with their choices.
pub struct RecipientFields {
    pub name: String,
    pub email: String,
    pub openpgp_key: String,
    pub notes: String,
    pub countries: Vec<Choice>,
    pub kinds: Vec<Choice>,
}

impl RecipientFields {
    fn new(tr: Tr, input: &RecipientInput) -> Self {
        Self {
            name: input.name.clone(),
            email: input.email.clone(),
            openpgp_key: input.openpgp_key.clone(),
            notes: input.notes.clone(),
            countries: choices(i18n::countries_by_name(tr.code()), &input.country),
            kinds: coded_choices(
                tr,
                &codes(Kind::ALL, |k| k.as_str()),
                "recipient-kind-",
                &input.kind,
            ),
        }
    }
}

const NOTICES: &[&str] = &[
    "recipient-saved",
    "recipient-disabled",
    "recipient-enabled",
    "rules-changed",
    "portal-account-disabled",
    "portal-account-enabled",
];

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct RecipientForm {
    name: String,
    country: String,
    kind: String,
    email: String,
    openpgp_key: String,
    notes: String,
}

impl RecipientForm {
    fn input(self) -> RecipientInput {
        RecipientInput {
            name: self.name,
            country: self.country,
            kind: self.kind,
            email: self.email,
            openpgp_key: self.openpgp_key,
            notes: self.notes,
        }
    }
}

/// Back to the recipient's page with a notice.
fn back(recipient: &str, notice: &str) -> Response {
    Redirect::to(&format!("/admin/recipients/{recipient}?notice={notice}")).into_response()
}
