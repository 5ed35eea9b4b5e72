//! Small helpers shared by several rules.

use vic_lint_core::rule::{Sink, UnitCx};
use vic_lint_core::{Edit, Fix};
use vic_lint_syntax::Span;

/// What a unit names in a list setting, or what it lost to a reset. Reports a missing item in
/// the one place the author should look: the reset that cleared it, a wrong value, or the
/// section where it belongs.
pub struct Wanted<'a> {
    pub section: &'a str,
    pub key: &'a str,
    /// Any of these satisfies the requirement.
    pub accepted: &'a [String],
    /// What the help text suggests adding.
    pub suggestion: &'a str,
    /// Why, in a few words, for the help text.
    pub why: &'a str,
    /// Whether adding the setting keeps behaviour the author meant (see the rule's page).
    pub safe_fix: bool,
}

impl Wanted<'_> {
    pub fn present(&self, cx: &UnitCx<'_>) -> bool {
        cx.eff.items(self.section, self.key).iter().any(|(w, _, _)| self.accepted.iter().any(|a| a == w))
    }

    /// Reports the item as missing unless present. `wrong` lets a rule point at a value that
    /// names something else (WantedBy=multi-user.target).
    pub fn check(&self, cx: &UnitCx<'_>, sink: &mut Sink, point_at_other_values: bool) {
        if self.present(cx) {
            return;
        }
        let (section, key, suggestion) = (self.section, self.key, self.suggestion);
        let add = format!("add `{key}={suggestion}` to the [{section}] section ({})", self.why);
        let anchor = format!("{section}/{key}");
        let state = cx.eff.state(section, key);
        if let Some((reset, lost)) = state.and_then(|st| {
            let lost = st
                .cleared
                .iter()
                .find(|a| a.entry.value.words().iter().any(|(w, _)| self.accepted.iter().any(|x| x == w)));
            st.reset.zip(lost)
        }) {
            sink.report(
                reset.file,
                reset.entry.span,
                format!("this empty `{key}=` clears `{suggestion}`, and nothing adds it back"),
            )
            .label(lost.file, lost.entry.value.span(), "cleared here")
            .help(format!("add `{key}={suggestion}` after the reset, or drop the reset"))
            .anchor(anchor);
            return;
        }
        if point_at_other_values {
            if let Some((value, file, span)) = cx.eff.items(section, key).first().copied() {
                // The setting is a list: adding to it keeps what the author named.
                let fix = Fix {
                    description: format!("add `{suggestion}` to `{key}=`"),
                    safe: self.safe_fix,
                    edits: vec![Edit {
                        file,
                        span: Span::empty(span.end as usize),
                        replacement: format!(" {suggestion}"),
                    }],
                };
                sink.report(file, span, format!("`{key}=` names `{value}`, not `{suggestion}`"))
                    .help(format!("use `{key}={suggestion}` ({})", self.why))
                    .anchor(anchor)
                    .fix(fix);
                return;
            }
        }
        let (file, span) = cx.section_or_top(section);
        let where_ = if cx.eff.has_section(section) {
            format!("[{section}] has no `{key}={suggestion}`")
        } else {
            format!("`{}` has no [{section}] section with `{key}={suggestion}`", cx.name)
        };
        let fix = self.fix(cx, self.safe_fix);
        let f = sink.report(file, span, where_).help(add).anchor(anchor);
        if let Some(fix) = fix {
            f.fix(fix);
        }
    }

    /// Adds the setting under the section's header in the file that holds it, or adds the
    /// section to the main unit file: [Unit] first, anything else last. Comments and the order
    /// of everything else stay as they were.
    fn fix(&self, cx: &UnitCx<'_>, safe: bool) -> Option<Fix> {
        let (section, key, value) = (self.section, self.key, self.suggestion);
        let line = format!("{key}={value}\n");
        let (file, at, text) = match cx.eff.section_span(section) {
            Some((file, header)) => {
                let source =
                    std::iter::once(cx.main).chain(cx.dropins.iter().copied()).find(|f| f.id == file)?;
                let rest = source.text.get(header.end as usize..)?;
                let end = header.end as usize + rest.find('\n').map_or(rest.len(), |i| i + 1);
                // A header on the last line without a newline needs one first.
                let text = if rest.contains('\n') { line } else { format!("\n{line}") };
                (file, end, text)
            }
            None if section == "Unit" => (cx.main.id, 0, format!("[{section}]\n{line}\n")),
            None => {
                let body = &cx.main.text;
                let sep = if body.is_empty() || body.ends_with("\n\n") {
                    ""
                } else if body.ends_with('\n') {
                    "\n"
                } else {
                    "\n\n"
                };
                (cx.main.id, body.len(), format!("{sep}[{section}]\n{line}"))
            }
        };
        Some(Fix {
            description: format!("add `{key}={value}` to [{section}]"),
            safe,
            edits: vec![Edit { file, span: Span::empty(at), replacement: text }],
        })
    }
}

/// The readiness unit the help text suggests: the shipped appliance's `.target` when accepted.
pub fn preferred(units: &[String]) -> &str {
    units
        .iter()
        .find(|u| u.ends_with(".target"))
        .or_else(|| units.first())
        .map_or("vic-appliance-ready.target", String::as_str)
}
