//! `--format checkstyle`: Checkstyle XML, which Jenkins' warnings plugin and many CI tools read.

use std::collections::BTreeMap;

use crate::xml::escape;
use crate::Input;

pub fn render(input: &Input<'_>) -> String {
    let mut by_file: BTreeMap<&str, Vec<&vic_lint_core::Finding>> = BTreeMap::new();
    for file in input.files {
        by_file.entry(file.path.as_str()).or_default();
    }
    for f in input.findings {
        by_file.entry(input.path(f.file)).or_default().push(f);
    }
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for (path, findings) in by_file {
        out.push_str(&format!("  <file name=\"{}\">\n", escape(path)));
        for f in findings {
            let (start, _) = input.position(f);
            out.push_str(&format!(
                "    <error line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\" source=\"vic-lint.{}.{}\"/>\n",
                start.line,
                start.column,
                f.severity.as_str(),
                escape(&format!("[{}] {}", f.meta.requirement, f.message)),
                f.meta.code,
                f.meta.name
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
