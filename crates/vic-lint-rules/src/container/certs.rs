use vic_lint_core::rule::{ContainerCx, Rule, Sink};

use super::paths::{normalize, under};

/// SEC-3: the appliance certificate is shared; no component may change it.
pub struct WritableCertificateMount;

pub const CERTS: &str = "/storage/data/certs";

impl Rule for WritableCertificateMount {
    fn code(&self) -> &'static str {
        "K008"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        for (i, m) in spec.mounts.iter().enumerate() {
            let Some(src) = &m.source else { continue };
            if src.variable || m.read_only || !under(&normalize(&src.text), CERTS) {
                continue;
            }
            sink.report(m.file, m.span, "the appliance certificate directory is mounted writable")
                .help(if spec.compose {
                    "append `:ro` to the volume (or set `read_only: true` in the long syntax)"
                } else {
                    "append `:ro` to the volume (`-v /storage/data/certs:/certs:ro`)"
                })
                .anchor(spec.anchor_for(&format!("volumes#{i}")));
        }
    }
}
