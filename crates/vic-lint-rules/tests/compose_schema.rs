#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Differential test: vic-lint's own version-aware Compose validation (compose/schema.rs)
//! against the official Compose schemas in `../shared/compose-schemas/` (a test oracle that is
//! not part of the product). Both must reject the same keys, for every key any schema knows
//! (plus unknown and extension keys) in every version, and for the files of
//! `tests/compose_corpus/`.
//!
//! Deliberate difference: vic-lint checks which keys a version allows and the long syntax of
//! `ports` and `volumes`; it does not check value types or formats (a number where the schema
//! wants a string) or key dependencies (`memswap_limit` needs `mem_limit`), which Compose itself
//! reports clearly. The comparison therefore covers
//! rejected keys and those two long syntaxes; elsewhere a file the schema accepts must be one
//! vic-lint accepts, which the matrix checks with values the schema accepts.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{json, Value};
use vic_lint_rules::compose::schema::{validate, Version};
use vic_lint_syntax::yaml::{self, Limits};

const VERSIONS: &[(&str, Version)] = &[
    ("v1", Version::V1),
    ("v2.0", Version::V2_0),
    ("v2.1", Version::V2_1),
    ("v2.2", Version::V2_2),
    ("v2.3", Version::V2_3),
    ("v2.4", Version::V2_4),
    ("v3.0", Version::V3_0),
    ("v3.1", Version::V3_1),
    ("v3.2", Version::V3_2),
    ("v3.3", Version::V3_3),
];

fn schema_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/compose-schemas");
    if dir.join("v3.3.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but the Compose schema oracle is missing at {}",
        dir.display()
    );
    eprintln!("note: ../shared/compose-schemas is absent; the differential Compose schema test is skipped");
    None
}

struct Oracle {
    version: Version,
    name: &'static str,
    validator: jsonschema::Validator,
    service_keys: Vec<String>,
}

fn oracles(dir: &std::path::Path) -> Vec<Oracle> {
    VERSIONS
        .iter()
        .map(|(name, version)| {
            let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).unwrap();
            let schema: Value = serde_json::from_str(&text).unwrap();
            let service_keys = schema["definitions"]["service"]["properties"]
                .as_object()
                .map(|m| m.keys().cloned().collect())
                .unwrap_or_default();
            let validator = jsonschema::draft4::new(&schema).unwrap();
            Oracle { version: *version, name, validator, service_keys }
        })
        .collect()
}

/// What the schema rejects, as JSON pointers in vic-lint's form (`/services/web/init`), and
/// whether anything else was wrong.
fn schema_verdict(o: &Oracle, doc: &Value) -> (BTreeSet<String>, Vec<String>) {
    let mut keys = BTreeSet::new();
    let mut other = Vec::new();
    for e in o.validator.iter_errors(doc) {
        let mut path = e.instance_path.to_string();
        if o.version == Version::V1 && !path.is_empty() {
            path = format!("/services{path}");
        }
        match &e.kind {
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected } => {
                let base =
                    if o.version == Version::V1 && path.is_empty() { "/services".to_string() } else { path };
                keys.extend(unexpected.iter().map(|k| format!("{base}/{k}")));
            }
            _ if is_long_syntax_item(&path) => {
                keys.insert(path);
            }
            _ => other.push(format!("{path}: {e}")),
        }
    }
    (keys, other)
}

fn is_long_syntax_item(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    matches!(parts.as_slice(), ["", "services", _, "ports" | "volumes", n] if n.parse::<usize>().is_ok())
}

fn ours(version: Version, doc: &Value) -> BTreeSet<String> {
    // JSON is YAML: the text goes through vic-lint's own parser, as a file would.
    let text = serde_json::to_string_pretty(doc).unwrap();
    let stream = yaml::parse(&text, &Limits::default());
    assert!(stream.errors.is_empty(), "{:?}", stream.errors);
    let root = stream.docs.first().and_then(|d| d.root.as_ref()).unwrap();
    validate(root, version).into_iter().map(|p| p.pointer).collect()
}

fn file(version: Version, name: &str, service: Value, top: Option<(&str, Value)>) -> Value {
    if version == Version::V1 {
        return json!({ "web": service });
    }
    let mut doc = json!({ "version": name.trim_start_matches('v'), "services": { "web": service } });
    if let Some((k, v)) = top {
        doc[k] = v;
    }
    doc
}

/// Values to try for a key, simplest first; the first the schema accepts is used.
fn candidates() -> Vec<Value> {
    vec![
        json!("x"),
        json!(["x"]),
        json!(1),
        json!(true),
        json!({ "x": "y" }),
        json!({ "test": ["CMD", "true"] }),
        json!({ "service": "db" }),
        json!({ "file": "spec.json" }),
        json!({ "replicas": 1 }),
        json!({ "weight": 10 }),
        json!({ "driver": "json-file" }),
        json!({ "context": "." }),
        json!({ "nofile": 1024 }),
    ]
}

fn assert_agree(o: &Oracle, doc: &Value, what: &str) {
    let (schema_keys, other) = schema_verdict(o, doc);
    let mine = ours(o.version, doc);
    assert_eq!(mine, schema_keys, "{} {what}: vic-lint vs schema disagree on {doc}", o.name);
    if mine.is_empty() {
        assert!(other.is_empty(), "{} {what}: the test's value is invalid: {other:?}", o.name);
    }
}

#[test]
fn every_service_key_in_every_version() {
    let Some(dir) = schema_dir() else { return };
    let oracles = oracles(&dir);
    let mut keys: BTreeSet<String> = oracles.iter().flat_map(|o| o.service_keys.iter().cloned()).collect();
    keys.extend(["bogus_key".to_string(), "x-extension".to_string()]);
    let mut compared = 0;
    for o in &oracles {
        for key in &keys {
            let doc_with = |v: &Value| {
                let mut svc = json!({ "image": "example/web:v1.0.0" });
                svc[key.as_str()] = v.clone();
                // The schemas' one key dependency, which vic-lint deliberately leaves to Compose.
                if key == "memswap_limit" {
                    svc["mem_limit"] = json!("1g");
                }
                file(o.version, o.name, svc, None)
            };
            // A value the schema accepts for this key, if it allows the key at all.
            let value = candidates().into_iter().find(|v| o.validator.is_valid(&doc_with(v)));
            let value = value.unwrap_or_else(|| json!("x"));
            if key == "image" {
                continue;
            }
            assert_agree(o, &doc_with(&value), &format!("service key `{key}`"));
            compared += 1;
        }
    }
    assert!(compared > 500, "only {compared} comparisons");
}

#[test]
fn top_level_keys_in_every_version() {
    let Some(dir) = schema_dir() else { return };
    for o in oracles(&dir).iter().filter(|o| o.version != Version::V1) {
        for (key, value) in [
            ("networks", json!({ "front": {} })),
            ("volumes", json!({ "data": {} })),
            ("secrets", json!({ "s": { "file": "./s.txt" } })),
            ("configs", json!({ "c": { "file": "./c.txt" } })),
            ("x-common", json!({ "a": 1 })),
            ("bogus", json!({})),
        ] {
            let doc = file(o.version, o.name, json!({ "image": "example/web:v1.0.0" }), Some((key, value)));
            assert_agree(o, &doc, &format!("top-level `{key}`"));
        }
    }
}

#[test]
fn long_and_short_syntax_of_ports_and_volumes() {
    let Some(dir) = schema_dir() else { return };
    for o in &oracles(&dir) {
        for (key, item) in [
            ("ports", json!("8080:80")),
            ("ports", json!({ "target": 80, "published": 8080, "protocol": "tcp", "mode": "host" })),
            ("volumes", json!("${DATA_DIR}:/data:ro")),
            (
                "volumes",
                json!({ "type": "bind", "source": "${DATA_DIR}", "target": "/data", "read_only": true }),
            ),
        ] {
            let mut svc = json!({ "image": "example/web:v1.0.0" });
            svc[key] = json!([item]);
            assert_agree(o, &file(o.version, o.name, svc, None), &format!("{key} item {item}"));
        }
    }
}

#[test]
fn corpus_files() {
    let Some(dir) = schema_dir() else { return };
    let oracles = oracles(&dir);
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/compose_corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&corpus).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert!(files.len() >= 8, "{files:?}");
    let (mut valid, mut invalid) = (0, 0);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let stream = yaml::parse(&text, &Limits::default());
        let root = stream.docs.first().and_then(|d| d.root.as_ref()).unwrap();
        let declared = root.get("version").and_then(|v| v.as_str()).map(str::to_string);
        let version = match &declared {
            None => Version::V1,
            Some(v) => Version::parse(v).unwrap_or_else(|| panic!("{}: version {v}", path.display())),
        };
        let o = oracles.iter().find(|o| o.version == version).unwrap();
        let doc = root.to_json();
        let (schema_keys, other) = schema_verdict(o, &doc);
        let mine: BTreeSet<String> = validate(root, version).into_iter().map(|p| p.pointer).collect();
        assert_eq!(mine, schema_keys, "{}", path.display());
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("valid") {
            assert!(mine.is_empty() && other.is_empty(), "{name} should be valid: {other:?}");
            valid += 1;
        } else {
            assert!(!mine.is_empty(), "{name} should be rejected");
            invalid += 1;
        }
    }
    assert!(valid >= 4 && invalid >= 4, "valid {valid}, invalid {invalid}");
}
