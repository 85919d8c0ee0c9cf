//! The sign-in attempts an account has left, on members (`users`) and
//! portal accounts alike: `failed_sign_ins` counts the attempts taken in
//! the current window and `locked_until` is when that window ends.

use super::{Database, StorageResult};

/// Whose attempts are counted.
#[derive(Clone, Copy, Debug)]
pub enum Accounts {
    Members,
    PortalAccounts,
}

/// The same statement on either table (literal SQL, no table name from outside).
macro_rules! on_table {
    ($accounts:expr, $before:literal, $after:literal) => {
        match $accounts {
            Accounts::Members => concat!($before, "users", $after),
            Accounts::PortalAccounts => concat!($before, "portal_accounts", $after),
        }
    };
}

/// Takes one attempt, in one statement so that parallel attempts are
/// counted one by one: a window that has ended starts afresh (this attempt
/// is its first, and it ends `window_ms` from now); within a window at most
/// `max` attempts are taken. Returns the attempt's number in its window, or
/// `None` when the window's attempts are all taken.
pub async fn take(
    db: &Database,
    accounts: Accounts,
    id: &str,
    now: i64,
    max: i64,
    window_ms: i64,
) -> StorageResult<Option<i64>> {
    let sql = on_table!(
        accounts,
        "UPDATE ",
        " SET \
           failed_sign_ins = CASE WHEN locked_until IS NULL OR locked_until <= $1 THEN 1 ELSE failed_sign_ins + 1 END, \
           locked_until = CASE WHEN locked_until IS NULL OR locked_until <= $1 THEN $2 ELSE locked_until END \
         WHERE id = $3 AND (locked_until IS NULL OR locked_until <= $1 OR failed_sign_ins < $4) \
         RETURNING failed_sign_ins"
    );
    let taken: Option<(i64,)> = sqlx::query_as(sql)
        .bind(now)
        .bind(now + window_ms)
        .bind(id)
        .bind(max)
        .fetch_optional(db.pool())
        .await?;
    Ok(taken.map(|(n,)| n))
}

/// Uses an authenticator code's time step to pass a lock, once: true when
/// the step is newer than the last one the account used (and is now the
/// last), false when it was used already (by a sign-in or another request).
pub async fn use_code_step(
    db: &Database,
    accounts: Accounts,
    id: &str,
    step: i64,
) -> StorageResult<bool> {
    let sql = on_table!(
        accounts,
        "UPDATE ",
        " SET last_totp_step = $1 WHERE id = $2 AND (last_totp_step IS NULL OR last_totp_step < $1)"
    );
    let done = sqlx::query(sql)
        .bind(step)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}
