//! Sizes as Docker and log options write them: `512m`, `10m`, `64k`, `1g`, or plain bytes.

/// Bytes of `text`; units are binary (k = 1024), as Docker reads `--memory` and `max-size`.
pub fn parse(text: &str) -> Result<u64, String> {
    let s = text.trim();
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (num, unit) = s.split_at(digits);
    if num.is_empty() {
        return Err(format!("`{s}` is not a size (write e.g. `512m`, `64k` or `1g`)"));
    }
    let value: u64 = num.parse().map_err(|_| format!("`{num}` is too large"))?;
    let scale: u64 = match unit.to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown unit `{other}` in `{s}` (use k, m or g)")),
    };
    match value.checked_mul(scale) {
        Some(0) => Err(format!("`{s}` must be more than 0")),
        Some(n) => Ok(n),
        None => Err(format!("`{s}` is too large")),
    }
}

/// A size as people read it: `8.0 KiB`, `1.5 MiB`.
pub fn show(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS.get(unit).copied().unwrap_or("B"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_are_binary_and_mistakes_are_named() {
        assert_eq!(parse("512m"), Ok(512 << 20));
        assert_eq!(parse("64k"), Ok(64 << 10));
        assert_eq!(parse(" 1G "), Ok(1 << 30));
        assert_eq!(parse("4096"), Ok(4096));
        for bad in ["", "m", "10x", "0", "99999999999999999999", "18446744073709551615g"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert_eq!(show(512), "512 B");
        assert_eq!(show(8 << 10), "8.0 KiB");
        assert_eq!(show(3 << 19), "1.5 MiB");
    }
}
