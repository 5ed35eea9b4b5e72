//! Durations as people write them in the manifest: `500ms`, `20s`, `2m`, `1m30s`, `1h`.

use std::time::Duration;

/// Parses a sequence of `<number><unit>` parts; a bare number is refused, because `10` could
/// mean seconds or minutes and a guess would make timeouts silently wrong.
pub fn parse(text: &str) -> Result<Duration, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err("empty duration (write e.g. `30s`, `2m` or `500ms`)".into());
    }
    let mut total: u128 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        if digits == 0 {
            return Err(format!("`{s}` is not a duration (write e.g. `30s`, `2m` or `500ms`)"));
        }
        let (num, tail) = rest.split_at(digits);
        let value: u128 = num.parse().map_err(|_| format!("`{num}` is too large"))?;
        let unit_len = tail.find(|c: char| c.is_ascii_digit()).unwrap_or(tail.len());
        let (unit, next) = tail.split_at(unit_len);
        let millis = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "" => return Err(format!("`{s}` lacks a unit (ms, s, m or h)")),
            other => return Err(format!("unknown unit `{other}` in `{s}` (use ms, s, m or h)")),
        };
        total = total.saturating_add(value.saturating_mul(millis));
        rest = next;
    }
    // A day is far beyond any sane container run; larger values are typos.
    if total == 0 || total > 86_400_000 {
        return Err(format!("`{s}` must be more than 0 and at most 24h"));
    }
    Ok(Duration::from_millis(u64::try_from(total).unwrap_or(u64::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_and_compounds() {
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("20s"), Ok(Duration::from_secs(20)));
        assert_eq!(parse(" 2m "), Ok(Duration::from_secs(120)));
        assert_eq!(parse("1m30s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse("1h"), Ok(Duration::from_secs(3600)));
    }

    #[test]
    fn refusals_say_why() {
        assert!(parse("10").unwrap_err().contains("lacks a unit"));
        assert!(parse("10 s").unwrap_err().contains("unknown unit"));
        assert!(parse("5d").unwrap_err().contains("unknown unit `d`"));
        assert!(parse("s").unwrap_err().contains("not a duration"));
        assert!(parse("0s").is_err());
        assert!(parse("25h").is_err());
        assert!(parse("").is_err());
        assert!(parse("99999999999999999999999999999999999999999s").is_err());
    }
}
