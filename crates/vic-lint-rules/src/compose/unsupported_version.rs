use vic_lint_core::rule::{ComposeCx, Rule, Sink};

use super::schema::Version;

/// SVC-2: the appliance runs Compose files of version 3.3 or lower, with a version it knows.
pub struct UnsupportedComposeVersion;

impl Rule for UnsupportedComposeVersion {
    fn code(&self) -> &'static str {
        "C001"
    }

    fn check_compose(&self, cx: &ComposeCx<'_>, sink: &mut Sink) {
        let doc = cx.doc;
        let help = "declare `version: \"3.3\"` (or a 2.x version) and keep to its keys";
        let Some(v) = &doc.model.version else {
            let span = doc.root.as_map().and_then(|m| m.first()).map_or(doc.root.span, |p| p.key.span);
            sink.report(doc.source.id, span, "no `version`: this is the legacy v1 Compose format")
                .help(help)
                .anchor("/version");
            return;
        };
        if Version::parse(&v.effective).is_some() {
            return;
        }
        let message = match v.effective.parse::<f64>() {
            Err(_) => format!("`{}` is not a Compose file version", v.raw),
            Ok(n) if n > 3.3 => format!("Compose file version {} is above 3.3", v.effective),
            Ok(_) => format!("{} is not a Compose file version (2.0–2.4 or 3.0–3.3)", v.effective),
        };
        sink.report(doc.source.id, v.span, message).help(help).anchor("/version");
    }
}
