use vic_lint_core::rule::{ContainerCx, Rule, Sink};

use super::paths::{normalize, under};

/// LOG-1: logs written to a file under /storage/log survive container restarts and upgrades.
pub struct NoLogVolume;

impl Rule for NoLogVolume {
    fn code(&self) -> &'static str {
        "K013"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        if !spec.is_service {
            return;
        }
        let own = format!("/storage/log/{}", cx.component.name);
        let found = spec
            .mounts
            .iter()
            .any(|m| m.source.as_ref().is_some_and(|s| s.variable || under(&normalize(&s.text), &own)));
        if !found {
            sink.report(spec.file, spec.span, format!("the container mounts no log directory from {own}"))
                .help(format!("mount {own} where the service writes its log files"))
                .anchor(spec.anchor_for("log-volume"));
        }
    }
}
