//! Files that cannot be read or parsed. Both rules report what the engine found while loading,
//! so that a broken file is a finding like any other and the run goes on.

use vic_lint_core::rule::{FileCx, Rule, Sink, UnitCx};
use vic_lint_syntax::yaml::ErrorKind;

pub struct UnreadableFile;

impl Rule for UnreadableFile {
    fn code(&self) -> &'static str {
        "E001"
    }

    fn check_file(&self, cx: &FileCx<'_>, sink: &mut Sink) {
        if let Some(issue) = cx.load_issue {
            sink.report(cx.file.id, issue.span, issue.message.clone())
                .anchor("file")
                .help("vic-lint reads UTF-8 text files of up to 8 MiB; fix or remove this file");
        }
    }
}

pub struct UnitSyntaxError;

impl Rule for UnitSyntaxError {
    fn code(&self) -> &'static str {
        "E002"
    }

    fn check_file(&self, cx: &FileCx<'_>, sink: &mut Sink) {
        let Some(unit) = cx.unit else { return };
        for (n, err) in unit.errors.iter().enumerate() {
            let f = sink.report(cx.file.id, err.span, err.message.clone());
            f.anchor(format!("syntax#{n}"));
            if let Some(h) = &err.help {
                f.help(h.clone());
            }
        }
    }

    fn check_unit(&self, cx: &UnitCx<'_>, sink: &mut Sink) {
        for exec in cx.execs {
            for (n, err) in exec.line.errors.iter().enumerate() {
                let f = sink.report(exec.file, err.span, err.message.clone());
                f.anchor(format!("{}/syntax#{n}", exec.anchor()));
                if let Some(h) = &err.help {
                    f.help(h.clone());
                }
            }
        }
    }
}

/// Everything that makes a YAML file unreadable as a whole or in part, except duplicate keys
/// (E004): syntax errors, tabs, nesting and alias budgets, unknown anchors, bad merges.
pub struct InvalidYaml;

impl Rule for InvalidYaml {
    fn code(&self) -> &'static str {
        "E003"
    }

    fn check_file(&self, cx: &FileCx<'_>, sink: &mut Sink) {
        let Some(stream) = cx.yaml else { return };
        for (n, err) in stream.errors.iter().filter(|e| e.kind != ErrorKind::DuplicateKey).enumerate() {
            let f = sink.report(cx.file.id, err.span, err.message.clone());
            f.anchor(format!("yaml#{n}"));
            // The parser's own messages come without help; what matters is what was not read.
            f.help(err.help.clone().unwrap_or_else(|| {
                "fix the YAML here: nothing after this point in the document is read or checked".into()
            }));
        }
    }
}

/// A key written twice in one mapping: YAML forbids it, and loaders disagree on which wins.
pub struct DuplicateYamlKey;

impl Rule for DuplicateYamlKey {
    fn code(&self) -> &'static str {
        "E004"
    }

    fn check_file(&self, cx: &FileCx<'_>, sink: &mut Sink) {
        let Some(stream) = cx.yaml else { return };
        for err in stream.errors.iter().filter(|e| e.kind == ErrorKind::DuplicateKey) {
            let key = cx.file.text.get(err.span.range()).unwrap_or("");
            // Which one wins depends on the reader: PyYAML (Compose 1.x) keeps the last, Compose
            // 2 refuses the file, vic-lint reads the first. Only "remove one" is safe advice.
            let f = sink.report(
                cx.file.id,
                err.span,
                format!(
                    "`{key}` is written twice in this mapping; YAML readers disagree on which one counts"
                ),
            );
            f.anchor(format!("duplicate/{key}"));
            f.help("keep one of the two entries (Compose 1.x silently reads the last, Compose 2 rejects the file)");
            if let Some(other) = err.other {
                f.label(cx.file.id, other, "first written here");
            }
        }
    }
}
