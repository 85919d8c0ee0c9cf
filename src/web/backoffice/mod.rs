//! The back office: where analysts work. Every route but sign-in needs a
//! session ([`session::SignedIn`]).

pub mod inbox;
pub mod session;
pub mod sign_in;
