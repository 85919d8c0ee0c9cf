//! What every back-office page shows around its content ([`Nav`]), the
//! templates of the pages that are not about reports, and small helpers for
//! forms (select options, field errors).

use askama::Template;
use axum::http::StatusCode;

use super::session::Member;
use crate::domain::FieldError;
use crate::domain::actor::Permission;
use crate::web::templates::{Tr, qr_svg};

/// The signed-in person's navigation, and the CSRF token for every form.
pub struct Nav {
    /// The message id of the site's name (the back office, or the portal).
    pub site: &'static str,
    pub email: String,
    pub csrf: String,
    pub sign_out: &'static str,
    pub items: Vec<NavItem>,
}

/// A link of the navigation.
pub struct NavItem {
    pub href: &'static str,
    /// A message id.
    pub label: &'static str,
    pub current: bool,
}

impl Nav {
    /// A member's navigation; `section` is the part the page belongs to.
    pub fn new(member: &Member, section: &'static str) -> Self {
        let actor = &member.session.actor;
        let mut items = vec![("/admin", "inbox-title", "inbox")];
        if actor.may(Permission::ManageDirectory) {
            items.push(("/admin/recipients", "recipients-title", "recipients"));
        }
        if member.coordinator {
            items.push(("/admin/network", "network-title", "network"));
        }
        if actor.may(Permission::ManageUsers) {
            items.push(("/admin/users", "users-title", "users"));
        }
        if actor.may(Permission::ReadAuditLog) {
            items.push(("/admin/audit", "audit-title", "audit"));
        }
        items.push(("/admin/account", "account-title", "account"));
        Self {
            site: "bo-name",
            email: actor.email.clone(),
            csrf: member.csrf.clone(),
            sign_out: "/admin/sign-out",
            items: items
                .into_iter()
                .map(|(href, label, part)| NavItem {
                    href,
                    label,
                    current: part == section,
                })
                .collect(),
        }
    }

    /// The header of a page seen before signing in, on the portal or the back office.
    pub fn visitor(site: &'static str) -> Self {
        Self {
            site,
            email: String::new(),
            csrf: String::new(),
            sign_out: "",
            items: Vec::new(),
        }
    }
}

/// What every back-office and portal page shows around its own content:
/// the translator, the header and navigation, the CSRF token of its forms,
/// the errors of a form sent back and a notice. A page struct holds a
/// `frame` and only its own fields; [`framed!`] lends it the frame's
/// fields, so that templates read `tr`, `nav`, `errors`, `notice` and
/// `error_for(field)` as their own.
pub struct Frame {
    pub tr: Tr,
    pub nav: Option<Nav>,
    pub csrf: String,
    pub errors: Vec<FieldError>,
    pub notice: Option<String>,
}

impl Frame {
    /// A signed-in member's page, in `section` of the navigation.
    pub fn member(tr: Tr, member: &Member, section: &'static str) -> Self {
        Self {
            csrf: member.csrf.clone(),
            nav: Some(Nav::new(member, section)),
            ..Self::visitor(tr, None)
        }
    }

    /// A page seen before signing in, under the header `nav` (if any).
    pub fn visitor(tr: Tr, nav: Option<Nav>) -> Self {
        Self {
            tr,
            nav,
            csrf: String::new(),
            errors: Vec::new(),
            notice: None,
        }
    }

    pub fn with_csrf(mut self, csrf: String) -> Self {
        self.csrf = csrf;
        self
    }

    pub fn with_errors(mut self, errors: Vec<FieldError>) -> Self {
        self.errors = errors;
        self
    }

    pub fn with_notice(mut self, notice: Option<String>) -> Self {
        self.notice = notice;
        self
    }

    /// 422 when the page shows a form sent back with errors, else 200.
    pub fn status(&self) -> StatusCode {
        form_status(&self.errors)
    }

    /// The message id of the error for one field, if any.
    pub fn error_for(&self, field: &str) -> Option<&'static str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.code)
    }
}

/// Lends page structs their `frame`'s fields (through `Deref`), for their templates.
macro_rules! framed {
    ($($page:ty),* $(,)?) => {
        $(impl std::ops::Deref for $page {
            type Target = $crate::web::backoffice::page::Frame;

            fn deref(&self) -> &Self::Target {
                &self.frame
            }
        })*
    };
}
pub(crate) use framed;

/// One option of a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Options from (value, label) pairs, with `current` selected.
pub fn choices<V: Into<String>, L: Into<String>>(
    pairs: impl IntoIterator<Item = (V, L)>,
    current: &str,
) -> Vec<Choice> {
    pairs
        .into_iter()
        .map(|(value, label)| {
            let value = value.into();
            Choice {
                selected: value == current,
                label: label.into(),
                value,
            }
        })
        .collect()
}

/// Options for each code of a code list, labelled by `<prefix><code>` messages.
pub fn coded_choices(tr: Tr, codes: &[&str], prefix: &str, current: &str) -> Vec<Choice> {
    choices(
        codes
            .iter()
            .map(|c| (c.to_string(), tr.t(&format!("{prefix}{c}")))),
        current,
    )
}

/// The `?notice=` a redirect after a form leaves on the page it goes to.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
pub struct NoticeQuery {
    pub notice: String,
}

/// The text of a notice the page knows (`notice-<code>`), or none.
pub fn notice(tr: Tr, known: &[&str], code: &str) -> Option<String> {
    known
        .contains(&code)
        .then(|| tr.t(&format!("notice-{code}")))
}

/// 422 when a form comes back with errors, else 200.
pub fn form_status(errors: &[FieldError]) -> StatusCode {
    if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

#[derive(Template)]
#[template(path = "backoffice/sign_in.html")]
pub struct SignInPage {
    pub frame: Frame,
    /// Where the form goes: the back office's or the portal's sign-in.
    pub action: &'static str,
    pub email: String,
    pub error: Option<String>,
}

/// Enrolment of an authenticator app: the QR code and the key as text.
pub struct Authenticator {
    pub secret: String,
    /// An SVG of the `otpauth://` URI, made on the server.
    pub qr_svg: String,
}

impl Authenticator {
    pub fn new(secret: String, otpauth_uri: &str) -> Self {
        Self {
            secret,
            qr_svg: qr_svg(otpauth_uri),
        }
    }
}

#[derive(Template)]
#[template(path = "backoffice/enrol.html")]
pub struct EnrolPage {
    pub frame: Frame,
    pub authenticator: Authenticator,
}

#[derive(Template)]
#[template(path = "backoffice/invitation.html")]
pub struct InvitationPage {
    pub frame: Frame,
    /// Where the form goes (the back office's or the portal's invitation).
    pub action: String,
    pub token: String,
    /// A password reset rather than an invitation.
    pub reset: bool,
    pub email: String,
    pub organisation: String,
    pub authenticator: Authenticator,
    /// The password typed, written back into both fields when it was
    /// accepted and only the authenticator code was wrong (empty otherwise).
    pub kept_password: String,
}

/// A page that says one thing, with recovery codes to write down if there are any.
#[derive(Template)]
#[template(path = "backoffice/done.html")]
pub struct DonePage {
    pub frame: Frame,
    pub title: String,
    pub message: String,
    pub codes: Vec<String>,
    pub next_href: String,
    pub next_label: String,
}

#[derive(Template)]
#[template(path = "backoffice/account.html")]
pub struct AccountPage {
    pub frame: Frame,
    pub email: String,
    pub role: String,
    pub has_access: bool,
    pub codes_left: i64,
    /// The fingerprint of the member's key, which an administrator compares
    /// before approving access.
    pub fingerprint: String,
    /// Why renewing the recovery codes was refused.
    pub error: Option<String>,
}

framed!(SignInPage, EnrolPage, InvitationPage, DonePage, AccountPage);
