use vic_lint_core::container::Mount;
use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use crate::container::paths::{holds, Area, Holds};

/// UPG-1: the component team ships its upgrade as a container, versioned with the component.
pub struct NoUpgradeContainer;

impl Rule for NoUpgradeContainer {
    fn code(&self) -> &'static str {
        "C007"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        if cx.units.is_empty() && cx.composes.is_empty() {
            return;
        }
        // The design: stateless services "are included as the latest version with the new
        // appliance and do not require upgrade".
        let stateful = cx.containers.iter().filter(|s| s.is_service).flat_map(|s| &s.mounts).any(keeps_state);
        if !stateful {
            return;
        }
        let in_compose =
            cx.composes.iter().any(|c| c.model.services.iter().any(|s| s.name.contains("upgrade")));
        let in_units = cx.units.iter().any(|u| u.name.contains("upgrade"));
        if cx.upgrade.declared || in_compose || in_units || !cx.upgrade_images.is_empty() || !cx.alone {
            return;
        }
        let at = cx
            .composes
            .iter()
            .find_map(|c| c.model.services_span.map(|s| (c.source.id, s)))
            .or_else(|| cx.anchor_point());
        let Some((file, span)) = at else { return };
        sink.report(file, span, format!("component `{}` declares no upgrade container", cx.component.name))
            .help(format!(
                "add an upgrade service (e.g. `{}-upgrade`) or an `[upgrade]` section to vic-lint.toml",
                cx.component.name
            ))
            .anchor("upgrade");
    }
}

/// A writable mount of data or a database, or of a directory the appliance chooses (a variable
/// nothing defines here) that is not a log directory: something an upgrade may have to migrate.
fn keeps_state(m: &Mount) -> bool {
    if m.read_only {
        return false;
    }
    match holds(m) {
        Some(Holds::Area(area)) => area != Area::Log,
        None => m.source.as_ref().is_some_and(|s| s.variable),
        Some(_) => false,
    }
}
