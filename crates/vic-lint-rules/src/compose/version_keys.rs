use vic_lint_core::rule::{ComposeCx, Rule, Sink};

use super::schema::{validate, Version};

/// SVC-2: a key the declared version does not know makes Compose refuse the file, or ignore it.
pub struct KeyNotInComposeVersion;

impl Rule for KeyNotInComposeVersion {
    fn code(&self) -> &'static str {
        "C005"
    }

    fn check_compose(&self, cx: &ComposeCx<'_>, sink: &mut Sink) {
        let model = &cx.doc.model;
        let version = match &model.version {
            None if model.legacy => Version::V1,
            None => return,
            // An unknown version is C001's; there is no table to check it against.
            Some(v) => match Version::parse(&v.effective) {
                Some(v) => v,
                None => return,
            },
        };
        for p in validate(cx.doc.root, version) {
            sink.report(cx.doc.source.id, p.span, p.message)
                .help("use keys of the declared version, or declare the version that has them (3.3 at most)")
                .anchor(p.pointer);
        }
    }
}
