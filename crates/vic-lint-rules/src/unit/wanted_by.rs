use vic_lint_core::rule::{Rule, Sink, UnitCx, UnitRole};

use crate::util::Wanted;

/// SVC-9: the appliance target pulls every component in.
pub struct MissingWantedBy;

impl Rule for MissingWantedBy {
    fn code(&self) -> &'static str {
        "U002"
    }

    fn check_unit(&self, cx: &UnitCx<'_>, sink: &mut Sink) {
        if cx.role != UnitRole::Main {
            return;
        }
        let target = std::slice::from_ref(&cx.appliance.target);
        Wanted {
            section: "Install",
            key: "WantedBy",
            accepted: target,
            suggestion: &cx.appliance.target,
            why: "the appliance starts its components through this target",
            safe_fix: true,
        }
        .check(cx, sink, true);
    }
}
