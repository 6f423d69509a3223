//! `Range: bytes=first-last`: part of a file (206 Partial Content). Why a real server needs it: a
//! download that broke off goes on where it stopped, and a video player jumps to the middle
//! without fetching the start.

/// What a `Range` header asks of a file of `len` bytes.
#[derive(Debug, PartialEq)]
pub enum Range {
    /// No usable range (none, malformed, or several): send the whole file with 200.
    Whole,
    /// Bytes `first..=last`: 206 Partial Content.
    Part(u64, u64),
    /// A range that starts past the end: 416.
    Unsatisfiable,
}

/// One `bytes=first-last`, `bytes=first-` or `bytes=-suffix`. Several ranges would need a
/// multipart body: we send the whole file instead, which RFC 9110 allows.
pub fn parse_range(value: &str, len: u64) -> Range {
    let Some(spec) = value
        .get(..6)
        .filter(|u| u.eq_ignore_ascii_case("bytes="))
        .map(|_| value[6..].trim())
    else {
        return Range::Whole;
    };
    let Some((first, last)) = spec.split_once('-') else {
        return Range::Whole;
    };
    // Digits only; a number too big for u64 means "past any end".
    let number = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().unwrap_or(u64::MAX))
    };
    match (number(first), number(last)) {
        (None, Some(suffix)) if first.is_empty() => match suffix.min(len) {
            0 => Range::Unsatisfiable, // `-0`, or any suffix of an empty file
            n => Range::Part(len - n, len - 1),
        },
        (Some(first), None) if last.is_empty() && first < len => Range::Part(first, len - 1),
        (Some(first), Some(last)) if first <= last && first < len => {
            Range::Part(first, last.min(len - 1))
        }
        (Some(_), None) if last.is_empty() => Range::Unsatisfiable,
        (Some(first), Some(last)) if first <= last => Range::Unsatisfiable,
        _ => Range::Whole,
    }
}

/// The range to send of a file of `len` bytes: the `Range` header's, unless `If-Range` names
/// another version than `last_modified` (the range was meant for the copy the client has).
pub fn wanted(range: Option<&str>, if_range: Option<&str>, last_modified: &str, len: u64) -> Range {
    match (range, if_range) {
        (Some(range), None) => parse_range(range, len),
        (Some(range), Some(version)) if version == last_modified => parse_range(range, len),
        _ => Range::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        use Range::*;
        assert_eq!(parse_range("bytes=0-9", 100), Part(0, 9));
        assert_eq!(parse_range("Bytes= 90-200 ", 100), Part(90, 99));
        assert_eq!(parse_range("bytes=10-", 100), Part(10, 99));
        assert_eq!(parse_range("bytes=-10", 100), Part(90, 99));
        assert_eq!(parse_range("bytes=-1000", 100), Part(0, 99));
        assert_eq!(parse_range("bytes=99-99", 100), Part(99, 99));
        assert_eq!(
            parse_range("bytes=0-99999999999999999999999", 100),
            Part(0, 99)
        );
        for unsatisfiable in [
            "bytes=100-",
            "bytes=100-200",
            "bytes=-0",
            "bytes=99999999999999999999999-",
        ] {
            assert_eq!(
                parse_range(unsatisfiable, 100),
                Unsatisfiable,
                "{unsatisfiable}"
            );
        }
        assert_eq!(parse_range("bytes=-5", 0), Unsatisfiable);
        assert_eq!(parse_range("bytes=0-", 0), Unsatisfiable);
        for ignored in [
            "",
            "bytes=",
            "bytes=-",
            "bytes=+1-0",
            "bytes=5-1",
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=a-b",
            "bytes=+1-2",
            "bytes=1--2",
            "bytes=- 5",
        ] {
            assert_eq!(parse_range(ignored, 100), Whole, "{ignored}");
        }
    }
}
