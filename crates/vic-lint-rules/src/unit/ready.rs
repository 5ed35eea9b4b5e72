use vic_lint_core::rule::{Rule, Sink, UnitCx, UnitRole};

use crate::util::{preferred, Wanted};

/// SVC-8: every component service waits for the appliance to be ready.
pub struct MissingReadyDependency;

impl Rule for MissingReadyDependency {
    fn code(&self) -> &'static str {
        "U001"
    }

    fn check_unit(&self, cx: &UnitCx<'_>, sink: &mut Sink) {
        if cx.role == UnitRole::Other {
            return;
        }
        let accepted = &cx.appliance.ready_units;
        for key in ["Requires", "After"] {
            Wanted {
                section: "Unit",
                key,
                accepted,
                suggestion: preferred(accepted),
                why: "disk, network, firewall and Docker are ready only after it",
                // The unit will not start where the readiness unit is missing (a developer's box).
                safe_fix: false,
            }
            .check(cx, sink, false);
        }
    }
}
