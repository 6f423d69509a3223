//! HTTP dates (RFC 9110's IMF-fixdate, `Sun, 06 Nov 1994 08:49:37 GMT`): the `Date` of every
//! response, a file's `Last-Modified`, and `If-Modified-Since` read back. Why a real server needs
//! them: a browser that already has a file asks "only if it changed since", and a `304 Not
//! Modified` without a body saves sending it again. std has no calendar, so the days are counted
//! here, in a few lines of arithmetic.

use std::cell::RefCell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]; // 1970-01-01 was a Thursday
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// An HTTP date, RFC 9110's IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        DAYS[(days % 7) as usize],
        MONTHS[month as usize - 1],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Calls `f` with the current time as an HTTP date. The text changes once a second: each thread
/// keeps it and formats it again only when the second has changed.
pub fn with_date_now(f: impl FnOnce(&str)) {
    thread_local! {
        static DATE: RefCell<(u64, String)> = const { RefCell::new((u64::MAX, String::new())) };
    }
    let now = SystemTime::now();
    let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    DATE.with_borrow_mut(|(second, text)| {
        if *second != secs {
            (*second, *text) = (secs, http_date(now));
        }
        f(text);
    });
}

/// Reads an IMF-fixdate back. Anything else, including the two obsolete formats RFC 9110 also
/// lists, is `None`: the condition is then ignored and the whole file sent, which is always safe.
pub fn parse_http_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 29
        || !DAYS.contains(&text.get(..3)?)
        || &b[3..5] != b", "
        || !text.ends_with(" GMT")
    {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u64> {
        let s = text.get(range)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let month = MONTHS.iter().position(|m| text.get(8..11) == Some(*m))? as u32 + 1;
    let (day, year) = (num(5..7)?, num(12..16)?);
    let (h, m, s) = (num(17..19)?, num(20..22)?, num(23..25)?);
    let seps = [(7, b' '), (11, b' '), (16, b' '), (19, b':'), (22, b':')];
    if seps.iter().any(|&(i, c)| b[i] != c)
        || !(1..=31).contains(&day)
        || h > 23
        || m > 59
        || s > 60
    {
        return None;
    }
    let days = days_from_civil(year as i64, month, day as u32);
    let secs = u64::try_from(days).ok()? * 86_400 + h * 3600 + m * 60 + s;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

/// Days since 1970-01-01 → (year, month, day), Howard Hinnant's `civil_from_days`: count in
/// 400-year eras of 146 097 days, with years starting in March so Feb 29 falls at the end.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era, 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year from March 1, 0..=365
    let mp = (5 * doy + 2) / 153; // month from March, 0..=11
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// The inverse: (year, month, day) → days since 1970-01-01.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12); // March is 0
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Whether the browser's copy, from `If-Modified-Since`, is as new as the file: `304 Not
/// Modified` then. HTTP dates have whole seconds; file times have nanoseconds.
pub fn not_modified(if_modified_since: Option<&str>, modified: SystemTime) -> bool {
    let seconds = |time: SystemTime| time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    if_modified_since
        .and_then(parse_http_date)
        .is_some_and(|since| seconds(modified) <= seconds(since))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_both_ways() {
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        let rfc_example = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(http_date(rfc_example), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(rfc_example)
        );
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400); // 2000-02-29
        assert_eq!(http_date(leap), "Tue, 29 Feb 2000 00:00:00 GMT");
        // Every day for 150 years, and a second before midnight: format, parse, same instant.
        for day in (0..55_000u64).step_by(7) {
            let t = UNIX_EPOCH + Duration::from_secs(day * 86_400 + 86_399);
            assert_eq!(parse_http_date(&http_date(t)), Some(t), "{}", http_date(t));
        }
    }

    #[test]
    fn bad_dates_are_ignored() {
        for bad in [
            "",
            "Sunday, 06-Nov-94 08:49:37 GMT", // RFC 850, obsolete
            "Sun Nov  6 08:49:37 1994",       // asctime, obsolete
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 6 Nov 1994 08:49:37 GMT ",
            "Sun, 06 Xyz 1994 08:49:37 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:+7 GMT",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 1994 08-49-37 GMT",
            "Sun, 06 Nov 19９4 08:49:37 GMT",
        ] {
            assert_eq!(parse_http_date(bad), None, "{bad:?}");
        }
    }
}
