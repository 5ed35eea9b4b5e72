//! `--format concise`: `path:line:col: CODE [REQ] message`, one finding per line, for grep and
//! editors' quickfix lists.

use crate::Input;

pub fn render(input: &Input<'_>) -> String {
    let mut out = String::new();
    for f in input.findings {
        let (start, _) = input.position(f);
        out.push_str(&format!(
            "{}:{}:{}: {} [{}] {}\n",
            input.path(f.file),
            start.line,
            start.column,
            f.meta.code,
            f.meta.requirement,
            one_line(&f.message)
        ));
    }
    out
}

/// A message on one line, whatever it quotes.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
