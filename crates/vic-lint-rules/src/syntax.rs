//! Files that cannot be read or parsed. Both rules report what the engine found while loading,
//! so that a broken file is a finding like any other and the run goes on.

use vic_lint_core::rule::{FileCx, Rule, Sink, UnitCx};

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
