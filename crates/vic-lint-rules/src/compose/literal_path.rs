use vic_lint_core::rule::{ComposeCx, Rule, Sink};

use crate::container::paths::{holds, Holds};

/// DATA-1: host paths are variables, so that the appliance decides where data lives. What the
/// appliance does not place is left out: the configuration shipped in the Compose project
/// folder (relative paths), the shared certificate directory, the Docker socket and read-only
/// system files.
pub struct LiteralVolumeHostPath;

impl Rule for LiteralVolumeHostPath {
    fn code(&self) -> &'static str {
        "C003"
    }

    fn check_compose(&self, cx: &ComposeCx<'_>, sink: &mut Sink) {
        for svc in &cx.doc.model.services {
            for (i, m) in svc.spec.mounts.iter().enumerate() {
                let Some(src) = &m.source else { continue };
                if src.interpolated || !m.is_bind() || !matches!(holds(m), Some(Holds::Area(_))) {
                    continue;
                }
                sink.report(src.file, src.span, format!("the host path `{}` is written literally", src.text))
                    .help("use a variable, e.g. `${DATA_DIR}:/data`, with its default in the `.env` file")
                    .anchor(svc.spec.anchor_for(&format!("volumes#{i}")));
            }
        }
    }
}
