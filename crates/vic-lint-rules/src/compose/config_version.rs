use std::path::Path;

use vic_lint_core::rule::{ComposeCx, Rule, Sink};

/// VER-8: a configuration file carries its own version, which upgrades read to migrate it.
pub struct UnversionedConfigFile;

const CONFIG_EXTENSIONS: &[&str] =
    &["yml", "yaml", "json", "toml", "ini", "conf", "cfg", "properties", "env"];
const VERSION_KEYS: &[&str] =
    &["version", "config_version", "configversion", "config-version", "schema_version"];

/// A line that starts (after indentation and an optional quote) with a version key and `:`/`=`.
fn has_version_key(text: &str) -> bool {
    text.lines().any(|line| {
        let l = line.trim_start().trim_start_matches(['"', '\'']).to_ascii_lowercase();
        VERSION_KEYS.iter().any(|k| {
            l.strip_prefix(k)
                .map(|rest| rest.trim_start_matches(['"', '\'']).trim_start())
                .is_some_and(|rest| rest.starts_with(':') || rest.starts_with('='))
        })
    })
}

impl Rule for UnversionedConfigFile {
    fn code(&self) -> &'static str {
        "C006"
    }

    fn check_compose(&self, cx: &ComposeCx<'_>, sink: &mut Sink) {
        let dir = cx.doc.source.fs_path.parent().unwrap_or(Path::new("."));
        for svc in &cx.doc.model.services {
            for (i, m) in svc.spec.mounts.iter().enumerate() {
                let Some(src) = m.source.as_ref().filter(|s| !s.variable && !s.text.starts_with('/')) else {
                    continue;
                };
                let path = dir.join(&src.text);
                let is_config = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| CONFIG_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
                if !is_config || !path.is_file() {
                    continue;
                }
                let Ok(meta) = std::fs::metadata(&path) else { continue };
                if meta.len() > vic_lint_syntax::source::MAX_FILE_BYTES {
                    continue;
                }
                let text = std::fs::read(&path)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default();
                if !has_version_key(&text) {
                    sink.report(
                        src.file,
                        src.span,
                        format!("the configuration file `{}` carries no version", src.text),
                    )
                    .help("add a version key (e.g. `config_version: 2`) that upgrades can check and migrate")
                    .anchor(svc.spec.anchor_for(&format!("volumes#{i}")));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::has_version_key;

    #[test]
    fn version_keys() {
        assert!(has_version_key("a: 1\nconfig_version: 2\n"));
        assert!(has_version_key("{\n  \"version\": \"1.2\"\n}"));
        assert!(has_version_key("VERSION=3"));
        assert!(!has_version_key("versions_seen: 1\nname: x\n"));
    }
}
