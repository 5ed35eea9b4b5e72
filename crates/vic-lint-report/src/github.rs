//! `--format github`: GitHub Actions workflow commands (`::error file=…,line=…::message`), which
//! turn into annotations on the pull request.

use vic_lint_core::Severity;

use crate::Input;

/// The data part of a command: `%`, CR and LF are escaped.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: as data, plus `:` and `,`, which separate properties.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(input: &Input<'_>) -> String {
    let mut out = String::new();
    for f in input.findings {
        let (start, end) = input.position(f);
        let command = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let title =
            format!("{} {} [{} {}]", f.meta.code, f.meta.name, f.meta.requirement, f.meta.level.family());
        let mut message = f.message.clone();
        if let Some(help) = &f.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        out.push_str(&format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
            property(input.path(f.file)),
            start.line,
            start.column,
            end.line,
            end.column,
            property(&title),
            data(&message)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaping_follows_the_workflow_command_rules() {
        assert_eq!(super::data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(super::property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
