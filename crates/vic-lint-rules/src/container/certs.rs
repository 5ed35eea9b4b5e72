use vic_lint_core::rule::{ContainerCx, Rule, Sink};
use vic_lint_core::{Edit, Fix};
use vic_lint_syntax::Span;

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
            // Only `SOURCE:TARGET` with no options is fixed mechanically: `:ro` goes after the
            // target. Options (`:z`), `--mount` and the long syntax need a look by the author.
            let short_plain = m
                .target
                .as_ref()
                .filter(|t| t.span.end == m.span.end && src.span.start == m.span.start && t.file == m.file);
            let fix = short_plain.map(|t| Fix {
                description: "mount the certificate directory read-only".into(),
                safe: true,
                edits: vec![Edit {
                    file: t.file,
                    span: Span::empty(t.span.end as usize),
                    replacement: ":ro".into(),
                }],
            });
            let f = sink.report(m.file, m.span, "the appliance certificate directory is mounted writable");
            if let Some(fix) = fix {
                f.fix(fix);
            }
            f.help(if spec.compose {
                "append `:ro` to the volume (or set `read_only: true` in the long syntax)"
            } else {
                "append `:ro` to the volume (`-v /storage/data/certs:/certs:ro`)"
            })
            .anchor(spec.anchor_for(&format!("volumes#{i}")));
        }
    }
}
