//! Dates and times as people and documents write them (always UTC).

/// Milliseconds since the epoch, as Ward stores every time.
pub use crate::storage::now_millis;

/// `YYYY-MM-DD` (UTC) from milliseconds since the epoch.
/// The start of the hour `millis` falls in. What a reporter does is kept
/// in clear only to the hour (the exact time is sealed with the content):
/// a database copy must not let anyone match a report or a message to a
/// visit in a hotel's, an airline's or a network's logs.
pub fn hour_of(millis: i64) -> i64 {
    millis - millis.rem_euclid(HOUR_MS)
}

const HOUR_MS: i64 = 3_600_000;

/// The clear-text time of something a reporter does (a report, a message,
/// files): the hour, plus its rank among such events of this process in
/// that hour. The rank keeps them in the order they arrived (the inbox and
/// conversations read right, and the indexes on `(…, created_at, id)` grow
/// at their end instead of at random places, which costs intake a third of
/// its speed) without telling the minute or the second.
pub fn reporter_time(now: i64) -> i64 {
    static LAST: std::sync::Mutex<(i64, i64)> = std::sync::Mutex::new((0, 0));
    let hour = hour_of(now);
    let mut last = LAST.lock().unwrap_or_else(|e| e.into_inner());
    if last.0 != hour {
        *last = (hour, 0);
    }
    last.1 = (last.1 + 1).min(HOUR_MS - 1);
    hour + last.1
}

pub fn date(millis: i64) -> String {
    let (y, m, d) = civil(millis.div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// (year, month 1–12, day 1–31) in UTC, for dates written in a language's own way.
pub fn year_month_day(millis: i64) -> (i64, i64, i64) {
    civil(millis.div_euclid(86_400_000))
}

/// RFC 3339, like `2026-11-25T09:30:00Z`.
pub fn rfc3339(millis: i64) -> String {
    let seconds = millis.div_euclid(1000).rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        date(millis),
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// (year, month, day) of a day number (days since 1970-01-01), by Howard
/// Hinnant's civil-from-days algorithm.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_and_times() {
        assert_eq!(super::date(0), "1970-01-01");
        assert_eq!(super::date(1_795_487_497_206), "2026-11-24");
        assert_eq!(super::date(951_782_400_000), "2000-02-29");
        assert_eq!(super::rfc3339(1_795_487_497_206), "2026-11-24T02:31:37Z");
    }
}
