//! Baselines: the findings a team accepts today, so that a component with many legacy findings
//! can stop getting worse at once. Entries key on fingerprints (rule, path, semantic location),
//! never on lines, so moving code keeps them matching. Entries that no longer occur are
//! reported (S003): the baseline only shrinks.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use vic_lint_core::Finding;
use vic_lint_syntax::{FileId, SourceFile, Span};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    fingerprint: String,
    rule: String,
    path: String,
    message: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

fn path_of(files: &[SourceFile], f: &Finding) -> String {
    files.get(f.file.0 as usize).map(|x| x.path.clone()).unwrap_or_default()
}

/// Writes every finding to `path`; returns how many.
pub fn write(path: &Path, files: &[SourceFile], findings: &[Finding]) -> Result<usize, String> {
    let mut entries: Vec<Entry> = findings
        .iter()
        .map(|f| {
            let p = path_of(files, f);
            Entry {
                fingerprint: f.fingerprint(&p),
                rule: f.meta.code.to_string(),
                path: p,
                message: f.message.clone(),
            }
        })
        .collect();
    // Sorted by what does not move, so the file's diff shows only real changes.
    entries.sort_by(|a, b| (&a.path, &a.rule, &a.fingerprint).cmp(&(&b.path, &b.rule, &b.fingerprint)));
    let doc = BaselineFile { version: 1, findings: entries };
    let mut text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
    text.push('\n');
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(doc.findings.len())
}

/// Where each quoted string of the baseline's text starts, in order: one pass over the text finds
/// every entry's fingerprint (a fingerprint holds no quote or backslash, so a match is exact).
fn quoted_places(text: &str) -> HashMap<&str, std::collections::VecDeque<usize>> {
    let mut out: HashMap<&str, std::collections::VecDeque<usize>> = HashMap::new();
    let mut open: Option<usize> = None;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        match (open, b) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), b'\\') => escaped = true,
            (Some(start), b'"') => {
                if let Some(inner) = text.get(start + 1..i) {
                    out.entry(inner).or_default().push_back(start);
                }
                open = None;
            }
            (None, b'"') => open = Some(i),
            _ => {}
        }
    }
    out
}

/// Hides the findings the baseline lists and reports its entries that no longer occur. The
/// baseline becomes one more file of the report, so those findings point into it.
pub fn apply(
    path: &Path,
    files: &mut Vec<SourceFile>,
    findings: Vec<Finding>,
) -> Result<(Vec<Finding>, usize), String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read baseline {}: {e}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|_| format!("baseline {} is not UTF-8", path.display()))?;
    let doc: BaselineFile = serde_json::from_str(&text)
        .map_err(|e| format!("baseline {} is not a vic-lint baseline: {e}", path.display()))?;
    if doc.version != 1 {
        return Err(format!(
            "baseline {} has version {}; this vic-lint reads version 1",
            path.display(),
            doc.version
        ));
    }
    let mut left: HashMap<&str, usize> = HashMap::new();
    for e in &doc.findings {
        *left.entry(e.fingerprint.as_str()).or_insert(0) += 1;
    }
    let mut kept = Vec::new();
    let mut hidden = 0;
    for f in findings {
        let fp = f.fingerprint(&path_of(files, &f));
        match left.get_mut(fp.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                hidden += 1;
            }
            _ => kept.push(f),
        }
    }
    let id = FileId(files.len() as u32);
    let mut stale = Vec::new();
    let mut places: Option<HashMap<&str, std::collections::VecDeque<usize>>> = None;
    for e in &doc.findings {
        let Some(n) = left.get_mut(e.fingerprint.as_str()) else { continue };
        if *n == 0 {
            continue;
        }
        *n -= 1;
        // Point at this entry's fingerprint: the next occurrence after the last one used.
        let needle_len = e.fingerprint.len() + 2;
        let at = places
            .get_or_insert_with(|| quoted_places(&text))
            .get_mut(e.fingerprint.as_str())
            .and_then(|q| q.pop_front())
            .unwrap_or(0);
        let Some(meta) = vic_lint_rules::registry::meta("S003") else { continue };
        let mut f = Finding::new(
            meta,
            id,
            Span::new(at, at + needle_len),
            format!("{} in {} is in the baseline but no longer occurs: {}", e.rule, e.path, e.message),
        );
        f.help("remove the entry, or rewrite the baseline with --write-baseline")
            .anchor(e.fingerprint.clone());
        stale.push(f);
    }
    if !stale.is_empty() {
        files.push(SourceFile::new(id, path.display().to_string(), path.to_path_buf(), text));
        kept.extend(stale);
    }
    Ok((kept, hidden))
}

#[cfg(test)]
mod tests {
    use super::quoted_places;

    #[test]
    fn every_quoted_string_is_found_in_order() {
        let text = r#"{"a": "0123", "m": "say \"0123\" twice", "b": "0123"}"#;
        let places = quoted_places(text);
        let at: Vec<usize> = places.get("0123").map(|q| q.iter().copied().collect()).unwrap_or_default();
        // The escaped `\"0123\"` inside the message is not a string of its own.
        assert_eq!(at, vec![text.find("\"0123\"").unwrap(), text.rfind("\"0123\"").unwrap()]);
        assert_eq!(at.len(), 2);
        assert!(places.contains_key("a") && places.contains_key("say \\\"0123\\\" twice"));
    }
}
