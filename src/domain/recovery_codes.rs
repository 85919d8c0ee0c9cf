//! Recovery codes: ten one-time codes, shown once, that stand in for the
//! authenticator app when it is lost. Each has 50 random bits; only a hash
//! keyed by the instance key is stored.

use rand::Rng;

use super::actor::Actor;
use super::{Context, DomainResult};
use crate::storage::{Database, WriteTx, now_millis, recovery_codes};
use crate::vault::InstanceKey;

pub const COUNT: usize = 10;
/// Letters and digits that cannot be confused with each other.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// Ten new codes, like `k7m2q-x9pt4`.
pub fn generate() -> Vec<String> {
    let mut rng = rand::rngs::OsRng;
    (0..COUNT)
        .map(|_| {
            let mut code: String = (0..10)
                .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
                .collect();
            code.insert(5, '-');
            code
        })
        .collect()
}

/// Lower-case, without spaces and dashes; `None` if it cannot be a code.
fn normalise(input: &str) -> Option<String> {
    let code: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (code.len() == 10 && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

fn hash(key: &InstanceKey, user_id: &str, code: &str) -> String {
    key.token_hash(&format!("recovery code\0{user_id}\0{code}"))
}

/// Stores new codes for a user (the old ones stop working); returns them to show once.
pub async fn issue(
    tx: &mut WriteTx,
    key: &InstanceKey,
    user_id: &str,
) -> DomainResult<Vec<String>> {
    let codes = generate();
    let hashes: Vec<String> = codes
        .iter()
        .filter_map(|c| normalise(c))
        .map(|c| hash(key, user_id, &c))
        .collect();
    recovery_codes::replace(tx, user_id, &hashes).await?;
    Ok(codes)
}

/// Uses up a code if it is one of the user's unused codes.
pub async fn consume(
    db: &Database,
    key: &InstanceKey,
    user_id: &str,
    input: &str,
) -> DomainResult<bool> {
    let Some(code) = normalise(input) else {
        return Ok(false);
    };
    Ok(recovery_codes::consume(db, user_id, &hash(key, user_id, &code), now_millis()).await?)
}

pub async fn remaining(ctx: Context<'_>, actor: &Actor) -> DomainResult<i64> {
    Ok(recovery_codes::remaining(ctx.db, &actor.user_id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_read_back_as_typed() {
        let codes = generate();
        assert_eq!(codes.len(), COUNT);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), COUNT);
        for code in &codes {
            assert_eq!(code.len(), 11);
            let typed = code.to_uppercase().replace('-', " ");
            assert_eq!(normalise(&typed), normalise(code));
            assert!(normalise(code).is_some());
        }
        assert_eq!(normalise("123456"), None);
        assert_eq!(normalise("aaaaa-aaaa1"), None);
    }
}
