use vic_lint_core::rule::{ContainerCx, Rule, Sink};

use super::paths::normalize;

/// SEC-2: the Docker socket is root on the host.
pub struct DockerSocketMounted;

pub const SOCKETS: &[&str] = &["/var/run/docker.sock", "/run/docker.sock"];

impl Rule for DockerSocketMounted {
    fn code(&self) -> &'static str {
        "K004"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        for (i, m) in spec.mounts.iter().enumerate() {
            let Some(src) = &m.source else { continue };
            if SOCKETS.contains(&&*normalize(&src.text)) {
                sink.report(
                    src.file,
                    src.span,
                    "the Docker socket is mounted: the container controls the host",
                )
                .help("do not mount the Docker socket; start dependencies as their own systemd units")
                .anchor(spec.anchor_for(&format!("volumes#{i}")));
            }
        }
    }
}
