use vic_lint_core::rule::{ComponentCx, Rule, Sink};

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
        let in_compose =
            cx.composes.iter().any(|c| c.model.services.iter().any(|s| s.name.contains("upgrade")));
        let in_units = cx.units.iter().any(|u| u.name.contains("upgrade"));
        if cx.upgrade.declared || in_compose || in_units {
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
