use vic_lint_core::container::ContainerSpec;
use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use super::paths::{holds, normalize, under, Area, Holds};

/// LOG-1: logs written to a file under /storage/log survive container restarts and upgrades.
pub struct NoLogVolume;

/// Logging drivers that hand each line to a collector, which may write the files.
const FORWARDING: &[&str] = &["syslog", "fluentd", "gelf"];

impl Rule for NoLogVolume {
    fn code(&self) -> &'static str {
        "K013"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        let own = format!("/storage/log/{}", cx.component.name);
        // A log directory in the wrong place is K009's finding, not a missing one.
        let writes_logs = |spec: &ContainerSpec| {
            spec.mounts.iter().any(|m| {
                m.source.as_ref().is_some_and(|s| s.variable || under(&normalize(&s.text), &own))
                    || holds(m) == Some(Holds::Area(Area::Log))
            })
        };
        // Harbor's services send their lines over syslog to its `log` container, which writes
        // them under /storage/log/harbor: the component writes its logs to files.
        let collector = cx.containers.iter().any(|s| s.is_service && writes_logs(s));
        for spec in cx.containers.iter().filter(|s| s.is_service) {
            if writes_logs(spec) || (collector && forwards_locally(spec)) {
                continue;
            }
            sink.report(spec.file, spec.span, format!("the container mounts no log directory from {own}"))
                .help(format!(
                    "mount {own} where the service writes its log files, or send its lines with the syslog \
                     driver to a container of the component that writes them there"
                ))
                .anchor(spec.anchor_for("log-volume"));
        }
    }
}

/// A forwarding driver whose address is on the appliance itself (or left to the default).
fn forwards_locally(spec: &ContainerSpec) -> bool {
    let Some(driver) = &spec.log_driver else { return false };
    if !FORWARDING.contains(&driver.text.trim().to_ascii_lowercase().as_str()) {
        return false;
    }
    spec.log_opts.iter().filter_map(|o| o.text.split_once('=')).filter(|(k, _)| k.ends_with("-address")).all(
        |(_, addr)| {
            let host = addr.split("://").nth(1).unwrap_or(addr);
            addr.starts_with("unix")
                || host.starts_with("127.")
                || host.starts_with("localhost")
                || host.starts_with("[::1]")
        },
    )
}
