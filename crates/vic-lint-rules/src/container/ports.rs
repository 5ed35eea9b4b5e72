use vic_lint_core::container::port_range;
use vic_lint_core::rule::{ContainerCx, Rule, Sink};

/// NET-1: the appliance has one NIC and a documented set of open ports.
pub struct UnapprovedHostPort;

impl Rule for UnapprovedHostPort {
    fn code(&self) -> &'static str {
        "K015"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        let allowed = &cx.appliance.ports;
        let list = allowed.iter().map(u16::to_string).collect::<Vec<_>>().join(", ");
        let help = format!("publish only the appliance's ports ({list}), or make the host port a variable");
        if let Some(all) = &spec.publish_all {
            sink.report(all.file, all.span, "every exposed port is published on a random host port")
                .help(help.clone())
                .anchor(spec.anchor_for("publish-all"));
        }
        for (i, p) in spec.publishes.iter().enumerate() {
            let anchor = spec.anchor_for(&format!("ports#{i}"));
            let Some(host) = &p.host_port else {
                let port = p.container_port.as_ref().map_or("?", |c| c.text.as_str());
                sink.report(
                    p.file,
                    p.span,
                    format!("container port {port} is published on a random host port"),
                )
                .help(help.clone())
                .anchor(anchor);
                continue;
            };
            // Bound to the loopback interface, the port is not open on the appliance's NIC.
            if host.variable || p.host_ip.as_ref().is_some_and(|ip| loopback(&ip.text)) {
                continue;
            }
            let Some(range) = port_range(&host.text) else {
                sink.report(host.file, host.span, format!("`{}` is not a port number", host.text))
                    .help(help.clone())
                    .anchor(anchor);
                continue;
            };
            let bad: Vec<u32> = range.filter(|n| !allowed.iter().any(|a| u32::from(*a) == *n)).collect();
            if let Some(first) = bad.first() {
                let what = if bad.len() == 1 {
                    format!("host port {first} is not an appliance port")
                } else {
                    format!("{} host ports ({first}…) are not appliance ports", bad.len())
                };
                sink.report(host.file, host.span, what).help(help.clone()).anchor(anchor);
            }
        }
    }
}

fn loopback(ip: &str) -> bool {
    let ip = ip.trim_matches(['[', ']']);
    ip.starts_with("127.") || ip == "::1" || ip == "localhost"
}
