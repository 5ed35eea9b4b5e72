use vic_lint_core::rule::{ComposeCx, Rule, Sink};

use super::schema::Version;

/// SVC-1: an unquoted `3.10` is the number 3.1 to YAML, so Compose reads another version.
pub struct MisreadComposeVersion;

impl Rule for MisreadComposeVersion {
    fn code(&self) -> &'static str {
        "C002"
    }

    fn check_compose(&self, cx: &ComposeCx<'_>, sink: &mut Sink) {
        let Some(v) = &cx.doc.model.version else { return };
        let same =
            Version::parse(&v.text).is_some() && Version::parse(&v.text) == Version::parse(&v.effective);
        if !v.plain || v.text == v.effective || same {
            return;
        }
        sink.report(
            cx.doc.source.id,
            v.span,
            format!("`version: {}` is read as the number {}", v.text, v.effective),
        )
        // Quoting keeps the number as written; the versions that misread this way (3.10,
        // 3.20) do not exist, so the help names the one the appliance runs.
        .help(format!("quote the version you mean; {} is not a Compose file version, the appliance runs \"3.3\" at most", v.text))
        .anchor("/version");
    }
}
