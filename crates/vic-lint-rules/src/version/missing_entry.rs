use vic_lint_core::rule::{ComponentCx, Rule, Sink};
use vic_lint_syntax::Span;

use super::own_entry;

/// VER-1: the appliance records each component's version in its version file.
pub struct ComponentNotInVersionFile;

impl Rule for ComponentNotInVersionFile {
    fn code(&self) -> &'static str {
        "V001"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        if (cx.units.is_empty() && cx.composes.is_empty()) || own_entry(cx).is_some() {
            return;
        }
        let name = &cx.component.name;
        let line = format!("{name}=<version>");
        // The appliance build writes the version file: a tree without one proves nothing.
        let Some(v) = cx.versions.first() else { return };
        let end = v.source.text.trim_end().len();
        sink.report(v.source.id, Span::empty(end), format!("the version file has no entry for `{name}`"))
            .help(format!("add a line `{line}` (for an image: `{name}=repo:tag <image id>`)"))
            .anchor(format!("entry/{name}"));
    }
}
