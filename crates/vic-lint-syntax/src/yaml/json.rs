//! The tree as JSON, with plain scalars resolved by the YAML 1.2 core schema.
//!
//! Compose and Drone publish JSON schemas; checking a file against them needs the values a YAML
//! 1.2 loader would produce (`3.10` is a number there, `"3.10"` a string, `yes` a string).

use std::borrow::Cow;

use serde_json::{Map, Number, Value as Json};

use super::{Node, Scalar, Style, Value};

const STR_TAG: &str = "tag:yaml.org,2002:str";
/// The non-specific tag `!`: "a string, whatever it looks like".
const NON_SPECIFIC_TAG: &str = "!";

/// Recursive: the depth of the tree is capped at [`super::MAX_DEPTH_CEILING`].
pub(super) fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Scalar(s) => scalar(s, node.tag.as_deref()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(pairs) => {
            let mut map = Map::new();
            for pair in pairs {
                map.entry(key_text(&pair.key).into_owned()).or_insert_with(|| to_json(&pair.value));
            }
            Json::Object(map)
        }
    }
}

/// A mapping key as a JSON object key: a scalar's text, a collection's JSON text. Two keys with
/// the same text are the same key for duplicate detection too, so that the JSON view and the
/// duplicate-key errors agree.
pub(super) fn key_text(node: &Node) -> Cow<'_, str> {
    match node.as_str() {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Owned(to_json(node).to_string()),
    }
}

pub(super) fn is_null_scalar(s: &Scalar, tag: Option<&str>) -> bool {
    resolves(s, tag) && is_null_text(&s.text)
}

fn scalar(s: &Scalar, tag: Option<&str>) -> Json {
    let resolved = if resolves(s, tag) { resolve_plain(&s.text) } else { None };
    resolved.unwrap_or_else(|| Json::String(s.text.clone()))
}

/// Whether the core schema applies: only to plain scalars without a tag that says "string".
fn resolves(s: &Scalar, tag: Option<&str>) -> bool {
    s.style == Style::Plain && !matches!(tag, Some(STR_TAG | NON_SPECIFIC_TAG))
}

fn resolve_plain(t: &str) -> Option<Json> {
    if is_null_text(t) {
        return Some(Json::Null);
    }
    match t {
        "true" | "True" | "TRUE" => return Some(Json::Bool(true)),
        "false" | "False" | "FALSE" => return Some(Json::Bool(false)),
        _ => {}
    }
    int(t).or_else(|| float(t)).map(Json::Number)
}

/// Empty is null too: `key:` (which the parser reads as `~`) and a node that replaced an
/// unreadable one.
fn is_null_text(t: &str) -> bool {
    matches!(t, "" | "~" | "null" | "Null" | "NULL")
}

/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`. Integers past 64 bits become the nearest float,
/// as a JSON reader would make of them.
fn int(t: &str) -> Option<Number> {
    if let Some(hex) = t.strip_prefix("0x") {
        return radix(hex, 16);
    }
    if let Some(oct) = t.strip_prefix("0o") {
        return radix(oct, 8);
    }
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if !all_digits(digits, 10) {
        return None;
    }
    if let Ok(i) = t.parse::<i64>() {
        return Some(i.into());
    }
    if let Ok(u) = t.parse::<u64>() {
        return Some(u.into());
    }
    t.parse::<f64>().ok().and_then(Number::from_f64)
}

fn radix(digits: &str, radix: u32) -> Option<Number> {
    if !all_digits(digits, radix) {
        return None;
    }
    match u64::from_str_radix(digits, radix) {
        Ok(u) => Some(u.into()),
        Err(_) => {
            let f = digits
                .chars()
                .filter_map(|c| c.to_digit(radix))
                .fold(0.0, |acc: f64, d| acc * f64::from(radix) + f64::from(d));
            Number::from_f64(f)
        }
    }
}

fn all_digits(s: &str, radix: u32) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_digit(radix))
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`. `.inf` and `.nan` are core-schema
/// floats too, but JSON has no such numbers: they stay strings, as do overflowing values.
fn float(t: &str) -> Option<Number> {
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mantissa, exponent) = match body.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (body, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let mantissa_ok = match fraction {
        Some(f) if whole.is_empty() => all_digits(f, 10),
        Some(f) => all_digits(whole, 10) && (f.is_empty() || all_digits(f, 10)),
        None => all_digits(whole, 10),
    };
    let exponent_ok = exponent.is_none_or(|e| all_digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    if !(mantissa_ok && exponent_ok) {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite()).and_then(Number::from_f64)
}
