use vic_lint_core::rule::{ComponentCx, Rule, Sink, UnitRole};

use crate::util::Wanted;

/// SVC-4: a separate configure unit only helps if the service waits for it.
pub struct ConfigureUnitNotOrdered;

impl Rule for ConfigureUnitNotOrdered {
    fn code(&self) -> &'static str {
        "U004"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        for conf in cx.units.iter().filter(|u| u.role == UnitRole::Configure) {
            let Some(service) = conf.name.strip_prefix("configure-") else { continue };
            let Some(main) = cx.units.iter().find(|u| u.name == service) else { continue };
            let accepted = [conf.name.to_string()];
            for key in ["Requires", "After"] {
                let wanted = Wanted {
                    section: "Unit",
                    key,
                    accepted: &accepted,
                    suggestion: conf.name,
                    why: "so that configuration has finished before the service starts",
                    safe_fix: true,
                };
                let before = sink.len();
                wanted.check(main, sink, false);
                if sink.len() > before {
                    let (file, span) = conf.section_or_top("Unit");
                    if let Some(f) = sink.last_mut() {
                        f.label(file, span, format!("`{}` is defined here", conf.name));
                    }
                }
            }
        }
    }
}
