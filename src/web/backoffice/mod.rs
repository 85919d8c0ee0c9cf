//! The back office: where analysts work. [`routes`] is the one list of its
//! routes with who may use each; the router is built from it, and the
//! authorisation tests walk it, so no route can be left out of either.
//! The permission is checked again where it matters, in the domain.

pub mod account;
pub mod audit;
pub mod cases;
pub mod csrf;
pub mod enrol;
pub mod inbox;
pub mod invitation;
pub mod network;
pub mod page;
pub mod recipients;
pub mod session;
pub mod sign_in;
pub mod users;

use axum::Router;
use axum::http::Method;
use axum::routing::{MethodRouter, get, post};

use crate::domain::actor::Permission;
use crate::web::AppState;

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone: sign-in and the pages behind one-time links.
    Anyone,
    /// A member signed in only to enrol a new authenticator.
    Enrolling,
    /// Any signed-in member.
    Member,
    /// A signed-in member whose role holds the permission.
    Needs(Permission),
}

/// A route of the back office and who may use it.
#[derive(Clone, Debug)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

type Route = (RouteSpec, MethodRouter<AppState>);

fn route(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
    (
        RouteSpec {
            method,
            path,
            access,
        },
        handler,
    )
}

/// Every back-office route.
pub fn routes() -> Vec<Route> {
    use Access::{Anyone, Enrolling, Member, Needs};
    use Method as M;
    use Permission::*;
    vec![
        route(M::GET, "/admin/sign-in", Anyone, get(sign_in::get)),
        route(M::POST, "/admin/sign-in", Anyone, post(sign_in::post)),
        route(
            M::GET,
            "/admin/invitation/{token}",
            Anyone,
            get(invitation::get),
        ),
        route(
            M::POST,
            "/admin/invitation/{token}",
            Anyone,
            post(invitation::post),
        ),
        route(M::GET, "/admin/enrol", Enrolling, get(enrol::get)),
        route(M::POST, "/admin/enrol", Enrolling, post(enrol::post)),
        route(M::POST, "/admin/sign-out", Member, post(sign_in::sign_out)),
        route(M::GET, "/admin/account", Member, get(account::get)),
        route(
            M::POST,
            "/admin/account/recovery-codes",
            Member,
            post(account::recovery_codes),
        ),
        route(M::GET, "/admin", Needs(ReadReports), get(inbox::get)),
        route(
            M::POST,
            "/admin/reports/bulk",
            Needs(WorkOnReports),
            post(inbox::bulk),
        ),
        route(
            M::GET,
            "/admin/reports/{report}",
            Needs(ReadReports),
            get(cases::view::get),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/assessment",
            Needs(WorkOnReports),
            post(cases::actions::assess),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/status",
            Needs(WorkOnReports),
            post(cases::actions::status),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/close",
            Needs(CloseReports),
            post(cases::actions::close),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/reopen",
            Needs(CloseReports),
            post(cases::actions::reopen),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/assign",
            Needs(AssignReports),
            post(cases::actions::assign),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/labels",
            Needs(WorkOnReports),
            post(cases::actions::labels),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/notes",
            Needs(WorkOnReports),
            post(cases::actions::note),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/links",
            Needs(WorkOnReports),
            post(cases::actions::links),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/messages",
            Needs(WorkOnReports),
            post(cases::actions::message),
        ),
        route(
            M::GET,
            "/admin/reports/{report}/attachments/{attachment}/preview",
            Needs(ReadReports),
            get(cases::files::preview),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/attachments/{attachment}/reveal",
            Needs(ReadReports),
            post(cases::files::reveal),
        ),
        route(
            M::GET,
            "/admin/reports/{report}/attachments/{attachment}/image",
            Needs(ReadReports),
            get(cases::files::image),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/attachments/{attachment}/download",
            Needs(ReadReports),
            post(cases::files::download),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/referrals",
            Needs(WorkOnReports),
            post(cases::referrals::prepare),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/referrals/{referral}/download",
            Needs(WorkOnReports),
            post(cases::referrals::download),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/referrals/{referral}/sent",
            Needs(WorkOnReports),
            post(cases::referrals::sent),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/referrals/{referral}/acknowledged",
            Needs(WorkOnReports),
            post(cases::referrals::acknowledged),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/referrals/{referral}/outcome",
            Needs(WorkOnReports),
            post(cases::referrals::outcome),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/transfer",
            Needs(CloseReports),
            post(cases::referrals::transfer),
        ),
        route(
            M::POST,
            "/admin/reports/{report}/cybertipline",
            Needs(WorkOnReports),
            post(cases::referrals::cybertipline),
        ),
        route(
            M::GET,
            "/admin/recipients",
            Needs(ManageDirectory),
            get(recipients::list),
        ),
        route(
            M::POST,
            "/admin/recipients",
            Needs(ManageDirectory),
            post(recipients::create),
        ),
        route(
            M::GET,
            "/admin/recipients/openpgp-key",
            Needs(ReadReports),
            get(recipients::openpgp_key),
        ),
        route(
            M::GET,
            "/admin/recipients/{recipient}",
            Needs(ManageDirectory),
            get(recipients::show),
        ),
        route(
            M::POST,
            "/admin/recipients/{recipient}",
            Needs(ManageDirectory),
            post(recipients::save),
        ),
        route(
            M::POST,
            "/admin/recipients/{recipient}/disable",
            Needs(ManageDirectory),
            post(recipients::disable),
        ),
        route(
            M::POST,
            "/admin/recipients/{recipient}/enable",
            Needs(ManageDirectory),
            post(recipients::enable),
        ),
        route(
            M::POST,
            "/admin/recipients/{recipient}/rules",
            Needs(ManageDirectory),
            post(recipients::rule),
        ),
        route(
            M::POST,
            "/admin/recipients/{recipient}/portal-accounts",
            Needs(ManageDirectory),
            post(recipients::invite),
        ),
        route(
            M::POST,
            "/admin/recipients/{recipient}/portal-accounts/{account}/disable",
            Needs(ManageDirectory),
            post(recipients::disable_account),
        ),
        route(
            M::POST,
            "/admin/recipients/{recipient}/portal-accounts/{account}/enable",
            Needs(ManageDirectory),
            post(recipients::enable_account),
        ),
        // The network's pages also require the coordinating organisation (in the domain).
        route(
            M::GET,
            "/admin/network",
            Needs(ManageDirectory),
            get(network::get),
        ),
        route(
            M::POST,
            "/admin/network/rules",
            Needs(ManageDirectory),
            post(network::rule),
        ),
        route(
            M::POST,
            "/admin/network/organisations/{organisation}/coverage",
            Needs(ManageDirectory),
            post(network::coverage),
        ),
        route(
            M::GET,
            "/admin/network/countries",
            Needs(ManageDirectory),
            get(network::countries),
        ),
        route(
            M::GET,
            "/admin/network/countries/{country}",
            Needs(ManageDirectory),
            get(network::country),
        ),
        route(
            M::POST,
            "/admin/network/countries/{country}",
            Needs(ManageDirectory),
            post(network::save_country),
        ),
        route(M::GET, "/admin/users", Needs(ManageUsers), get(users::get)),
        route(
            M::POST,
            "/admin/users/invite",
            Needs(ManageUsers),
            post(users::invite),
        ),
        route(
            M::POST,
            "/admin/users/{user}/disable",
            Needs(ManageUsers),
            post(users::disable),
        ),
        route(
            M::POST,
            "/admin/users/{user}/enable",
            Needs(ManageUsers),
            post(users::enable),
        ),
        route(
            M::POST,
            "/admin/users/{user}/approve",
            Needs(ManageUsers),
            post(users::approve),
        ),
        route(
            M::POST,
            "/admin/users/{user}/role",
            Needs(ManageUsers),
            post(users::role),
        ),
        route(
            M::POST,
            "/admin/users/{user}/reset-password",
            Needs(ManageUsers),
            post(users::reset_password),
        ),
        route(
            M::POST,
            "/admin/users/{user}/reset-second-factor",
            Needs(ManageUsers),
            post(users::reset_second_factor),
        ),
        route(M::GET, "/admin/audit", Needs(ReadAuditLog), get(audit::get)),
    ]
}

/// Who may use each route, for tests and documentation.
pub fn route_specs() -> Vec<RouteSpec> {
    routes().into_iter().map(|(spec, _)| spec).collect()
}

/// The back office's router. Forms of signed-in members must carry their
/// session's CSRF token; the pages reached without a session (sign-in, the
/// one-time links) rely on the same-origin check every form has.
pub fn router(state: AppState) -> Router<AppState> {
    let mut open = Router::new();
    let mut signed_in = Router::new();
    for (spec, handler) in routes() {
        if spec.access == Access::Anyone {
            open = open.route(spec.path, handler);
        } else {
            signed_in = signed_in.route(spec.path, handler);
        }
    }
    signed_in = signed_in.route_layer(axum::middleware::from_fn_with_state(
        state,
        csrf::require_token,
    ));
    open.merge(signed_in)
}
