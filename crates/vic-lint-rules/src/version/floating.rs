use vic_lint_core::rule::{FileCx, Rule, Sink};

/// Tags that name a moving target rather than a build (the same names as K014's).
pub(crate) const FLOATING: &[&str] = &[
    "latest", "ova", "dev", "devel", "develop", "master", "main", "stable", "edge", "nightly", "head",
    "current", "release", "snapshot", "test", "testing", "unstable", "beta", "alpha", "canary", "trunk",
];

/// VER-5: every build has its own version; `latest` names whatever was built last.
pub struct FloatingVersionEntry;

impl Rule for FloatingVersionEntry {
    fn code(&self) -> &'static str {
        "V005"
    }

    fn check_file(&self, cx: &FileCx<'_>, sink: &mut Sink) {
        let Some(v) = cx.version else { return };
        for e in &v.entries {
            let (text, span) = match &e.image {
                Some(img) => match (&img.tag, img.tag_span) {
                    (Some(t), Some(s)) => (t.as_str(), s),
                    _ => continue,
                },
                None => (e.value.as_str(), e.value_span),
            };
            if FLOATING.contains(&text.to_ascii_lowercase().as_str()) {
                sink.report(cx.file.id, span, format!("`{}` records the floating version `{text}`", e.name))
                    .help("record the build's own version, e.g. the `git describe` output `v1.2.0-rc1-118-ge50b7b1`")
                    .anchor(format!("{}/version", e.name));
            }
        }
    }
}
