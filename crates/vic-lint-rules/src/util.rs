//! Small helpers shared by several rules.

use vic_lint_core::rule::{Sink, UnitCx};

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
                sink.report(file, span, format!("`{key}=` names `{value}`, not `{suggestion}`"))
                    .help(format!("use `{key}={suggestion}` ({})", self.why))
                    .anchor(anchor);
                return;
            }
        }
        let (file, span) = cx.section_or_top(section);
        let where_ = if cx.eff.has_section(section) {
            format!("[{section}] has no `{key}={suggestion}`")
        } else {
            format!("`{}` has no [{section}] section with `{key}={suggestion}`", cx.name)
        };
        sink.report(file, span, where_).help(add).anchor(anchor);
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
