use vic_lint_core::rule::{FileCx, Rule, Sink};

/// VER-1: the appliance build reads the version file line by line; a line it cannot split, or a
/// name recorded twice, leaves a component's version unknown.
pub struct MalformedVersionEntry;

impl Rule for MalformedVersionEntry {
    fn code(&self) -> &'static str {
        "V002"
    }

    fn check_file(&self, cx: &FileCx<'_>, sink: &mut Sink) {
        let Some(v) = cx.version else { return };
        for (n, err) in v.errors.iter().enumerate() {
            let f = sink.report(cx.file.id, err.span, err.message.clone());
            f.anchor(format!("line#{n}"));
            f.help(err.help.clone().unwrap_or_else(|| "write one `name=value` line per component".into()));
        }
    }
}
