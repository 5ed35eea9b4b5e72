use std::collections::HashMap;

use vic_lint_core::container::{port_range, Value};
use vic_lint_core::rule::{Rule, Sink, WorkspaceCx};

/// NET-1: the appliance has one NIC; two components cannot both listen on one host port.
pub struct HostPortConflict;

impl Rule for HostPortConflict {
    fn code(&self) -> &'static str {
        "K016"
    }

    fn check_workspace(&self, cx: &WorkspaceCx<'_>, sink: &mut Sink) {
        // The first component to publish each port; a map, since one range can name 65535.
        let mut first: HashMap<u32, (usize, &Value)> = HashMap::new();
        for (component, spec) in cx.containers {
            for (i, p) in spec.publishes.iter().enumerate() {
                let Some(host) = p.host_port.as_ref().filter(|h| !h.variable) else { continue };
                let Some(range) = port_range(&host.text) else { continue };
                for port in range {
                    let clash = first.get(&port).filter(|(c, _)| c != component);
                    if let Some((c, other)) = clash {
                        let owner = cx.components.get(*c).map_or("another component", |c| c.name.as_str());
                        sink.report(
                            host.file,
                            host.span,
                            format!("host port {port} is also published by `{owner}`"),
                        )
                        .label(other.file, other.span, format!("`{owner}` publishes {port} here"))
                        .help("give each component its own appliance port, or make one configurable")
                        .anchor(spec.anchor_for(&format!("ports#{i}")));
                        break;
                    }
                    first.entry(port).or_insert((*component, host));
                }
            }
        }
    }
}
