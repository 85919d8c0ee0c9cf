//! What stands between a guesser and the password of a member or of a
//! portal account, the same for the back office and the portal.
//!
//! 1. **Attempts per account.** Each account allows `MAX_ATTEMPTS` sign-in
//!    attempts per `WINDOW_MS`, whoever makes them and from wherever. An
//!    attempt is taken in one database statement *before* the password is
//!    checked, so parallel attempts are counted one by one and the one past
//!    the limit is refused without any check. A successful sign-in gives
//!    the account its attempts back. The lock ends with its window, and it
//!    never stops the account's own holder: a locked account still takes an
//!    attempt that carries its right, unused authenticator code, which
//!    guessers cannot know, and uses that code up. So a flood of guesses
//!    locks out the guessers, not the member; someone who saw a code gets
//!    one attempt with it.
//! 2. **One answer.** An unknown address, a wrong password and a right
//!    password with a wrong code get the same answer after the same work
//!    (one Argon2 run: the key is opened only once everything was right),
//!    and never sooner than `FAILURE_FLOOR` after the attempt began, so
//!    neither the answer nor its time tells which part was wrong.
//!    An address that belongs to no account locks the same way (counted in
//!    memory), so a lock does not tell which addresses exist.
//! 3. **A bounded audit trail.** Every failure on a known account is
//!    audited; failures with unknown addresses are counted in memory and
//!    audited when their count in the current 10 minutes reaches 1, 10,
//!    100, … so that a flood cannot bloat the audit chain.
//!
//! Per-client limits on the sign-in forms sit in the web layer.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::audit::{self, Action, Entry};
use super::{Context, DomainError, DomainResult};
use crate::storage::now_millis;
use crate::storage::sign_in_attempts::{self, Accounts};

/// Attempts an account allows per window.
pub const MAX_ATTEMPTS: i64 = 5;
/// How long an account's window lasts, and so its lock at most.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// A refused sign-in is answered no sooner than this after it began: more
/// than the slowest refusal takes, so all refusals take the same time.
pub const FAILURE_FLOOR: Duration = Duration::from_millis(600);
/// The period over which failures with unknown addresses are aggregated.
const UNKNOWN_PERIOD: Duration = Duration::from_secs(600);

/// Takes one attempt for an account, or refuses: `Locked` when the
/// window's attempts are all taken. Returns the attempt's number.
pub async fn take_attempt(ctx: Context<'_>, accounts: Accounts, id: &str) -> DomainResult<i64> {
    sign_in_attempts::take(ctx.db, accounts, id, now_millis(), MAX_ATTEMPTS, WINDOW_MS)
        .await?
        .ok_or(DomainError::Locked)
}

/// How an attempt got past the limits.
#[derive(Debug, Default)]
pub struct Taken {
    /// The attempt's number in the account's window (none for an unknown
    /// address, or when the account's own code passed its lock).
    pub number: Option<i64>,
    /// The step of the code that passed the lock (and is now used up).
    pub passed_lock_with: Option<i64>,
}

/// Takes one attempt, the same way for the back office and the portal: for
/// the account `account_id` names, letting a locked account through with its
/// own right, unused code (`code_step`); for an address that names no
/// account, from the in-memory count of that address.
pub async fn take_attempt_for(
    ctx: Context<'_>,
    accounts: Accounts,
    account_id: Option<&str>,
    address: &str,
    code_step: Option<i64>,
) -> DomainResult<Taken> {
    let Some(id) = account_id else {
        ctx.unknown_sign_ins.take_attempt(address, Instant::now())?;
        return Ok(Taken::default());
    };
    match take_attempt(ctx, accounts, id).await {
        Ok(number) => Ok(Taken {
            number: Some(number),
            passed_lock_with: None,
        }),
        Err(DomainError::Locked) => {
            pass_lock_with_code(ctx, accounts, id, code_step).await?;
            Ok(Taken {
                number: None,
                passed_lock_with: code_step,
            })
        }
        Err(other) => Err(other),
    }
}

/// Lets an attempt through a locked account when it carries the account's
/// right authenticator code (`step`, its time step), each code once: the
/// step is used up here, atomically, so a code seen by someone else passes
/// the lock for one attempt at most. Otherwise `Locked`.
async fn pass_lock_with_code(
    ctx: Context<'_>,
    accounts: Accounts,
    id: &str,
    step: Option<i64>,
) -> DomainResult<()> {
    match step {
        Some(step) if sign_in_attempts::use_code_step(ctx.db, accounts, id, step).await? => Ok(()),
        _ => Err(DomainError::Locked),
    }
}

/// Runs a sign-in attempt; a refusal for wrong credentials is answered no
/// sooner than `FAILURE_FLOOR` after it began.
pub async fn answer<T>(attempt: impl Future<Output = DomainResult<T>>) -> DomainResult<T> {
    let deadline = tokio::time::Instant::now() + FAILURE_FLOOR;
    let result = attempt.await;
    if matches!(result, Err(DomainError::WrongCredentials)) {
        tokio::time::sleep_until(deadline).await;
    }
    result
}

/// Failed sign-ins with unknown addresses, in memory (one per Ward
/// process): the count per action (back office, portal) in the current
/// period, for the audit log, and the attempts per address, so that an
/// unknown address locks like a known account does and the lock does not
/// tell which addresses exist. Addresses are kept only as a hash under a
/// random salt that never leaves memory.
pub struct UnknownSignIns {
    counts: Mutex<HashMap<&'static str, (Instant, u64)>>,
    attempts: Mutex<HashMap<[u8; 16], (Instant, i64)>>,
    salt: [u8; 32],
}

impl Default for UnknownSignIns {
    fn default() -> Self {
        use rand::RngCore;
        let mut salt = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut salt);
        Self {
            counts: Mutex::default(),
            attempts: Mutex::default(),
            salt,
        }
    }
}

/// Most unknown addresses remembered; beyond, the memory starts afresh.
const MOST_UNKNOWN_ADDRESSES: usize = 100_000;

impl UnknownSignIns {
    /// Takes an attempt for an address that belongs to no account, with
    /// the same limit and window as accounts: `Locked` past it.
    pub fn take_attempt(&self, address: &str, now: Instant) -> DomainResult<()> {
        use sha2::{Digest, Sha256};
        let digest = Sha256::new()
            .chain_update(self.salt)
            .chain_update(address.as_bytes())
            .finalize();
        let mut id = [0u8; 16];
        id.copy_from_slice(&digest[..16]);
        let mut attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if attempts.len() >= MOST_UNKNOWN_ADDRESSES {
            attempts.clear();
        }
        let window = Duration::from_millis(WINDOW_MS as u64);
        let (started, taken) = attempts.entry(id).or_insert((now, 0));
        if now.duration_since(*started) >= window {
            (*started, *taken) = (now, 0);
        }
        if *taken >= MAX_ATTEMPTS {
            return Err(DomainError::Locked);
        }
        *taken += 1;
        Ok(())
    }

    /// Counts one failure; returns the count when it should be audited.
    fn count(&self, action: Action, now: Instant) -> Option<u64> {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let (started, count) = counts.entry(action.as_str()).or_insert((now, 0));
        if now.duration_since(*started) >= UNKNOWN_PERIOD {
            (*started, *count) = (now, 0);
        }
        *count += 1;
        is_power_of_ten(*count).then_some(*count)
    }
}

/// Records a failed sign-in with an address that belongs to no account:
/// an audit entry (without the address, which may be a password typed in
/// the wrong field) when the period's count reaches a power of ten.
pub async fn unknown_address_failed(ctx: Context<'_>, action: Action) -> DomainResult<()> {
    let Some(count) = ctx.unknown_sign_ins.count(action, Instant::now()) else {
        return Ok(());
    };
    audit::record(
        ctx.db,
        ctx.key,
        Entry {
            organisation_id: None,
            actor_user_id: None,
            actor: "unknown",
            action,
            object_type: None,
            object_id: None,
            detail: Some(format!(
                "failed sign-ins with unknown addresses in the last 10 minutes: {count}"
            )),
        },
    )
    .await
}

fn is_power_of_ten(mut n: u64) -> bool {
    while n >= 10 && n.is_multiple_of(10) {
        n /= 10;
    }
    n == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_address_failures_are_audited_at_powers_of_ten() {
        let counts = UnknownSignIns::default();
        let start = Instant::now();
        let audited: Vec<u64> = (0..1_000)
            .filter_map(|_| counts.count(Action::PortalSignInFailed, start))
            .collect();
        assert_eq!(audited, [1, 10, 100, 1000]);
        assert_eq!(
            counts.count(Action::SignInFailed, start),
            Some(1),
            "each action counts apart"
        );
        // A new period counts afresh.
        let later = start + UNKNOWN_PERIOD;
        assert_eq!(counts.count(Action::PortalSignInFailed, later), Some(1));
        assert!(!is_power_of_ten(0) && !is_power_of_ten(20) && is_power_of_ten(10_000));
    }

    #[test]
    fn unknown_addresses_lock_like_accounts() {
        let unknown = UnknownSignIns::default();
        let start = Instant::now();
        for _ in 0..MAX_ATTEMPTS {
            assert!(unknown.take_attempt("nobody@example.org", start).is_ok());
        }
        assert!(matches!(
            unknown.take_attempt("nobody@example.org", start),
            Err(DomainError::Locked)
        ));
        assert!(
            unknown
                .take_attempt("someone.else@example.org", start)
                .is_ok()
        );
        let later = start + Duration::from_millis(WINDOW_MS as u64);
        assert!(unknown.take_attempt("nobody@example.org", later).is_ok());
    }

    /// On tokio's paused clock, so that the times are exact whatever the machine does.
    #[tokio::test(start_paused = true)]
    async fn a_refusal_is_answered_at_the_floor_and_anything_else_at_once() {
        async fn took<T>(work: Duration, result: DomainResult<T>) -> (Duration, DomainResult<T>) {
            let start = tokio::time::Instant::now();
            let result = answer(async {
                tokio::time::sleep(work).await;
                result
            })
            .await;
            (start.elapsed(), result)
        }
        let quick = Duration::from_millis(20);
        let (time, result) = took::<()>(quick, Err(DomainError::WrongCredentials)).await;
        assert!(matches!(result, Err(DomainError::WrongCredentials)));
        assert_eq!(time, FAILURE_FLOOR, "a quick refusal waits for the floor");
        let slow = FAILURE_FLOOR + quick;
        let (time, _) = took::<()>(slow, Err(DomainError::WrongCredentials)).await;
        assert_eq!(time, slow, "a slow refusal is not made slower");
        let (time, result) = took(quick, Ok(7)).await;
        assert_eq!((time, result.ok()), (quick, Some(7)), "success at once");
        let (time, _) = took::<()>(quick, Err(DomainError::Locked)).await;
        assert_eq!(time, quick, "a lock is not a guess: answered at once");
    }
}
