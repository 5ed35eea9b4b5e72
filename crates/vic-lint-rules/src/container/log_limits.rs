use vic_lint_core::rule::{ContainerCx, Rule, Sink};
use vic_lint_core::{Edit, Fix};
use vic_lint_syntax::Span;

/// LOG-3: the default json-file driver keeps every line forever unless told otherwise.
pub struct MissingLogLimits;

/// Drivers that rotate, forward or drop logs by themselves.
const SELF_LIMITING: &[&str] = &["journald", "syslog", "local", "none"];

impl Rule for MissingLogLimits {
    fn code(&self) -> &'static str {
        "K012"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        if !spec.is_service {
            return;
        }
        if let Some(driver) = &spec.log_driver {
            if driver.variable || SELF_LIMITING.contains(&driver.text.trim()) {
                return;
            }
        }
        let has = |key: &str| spec.log_opts.iter().any(|o| o.variable || o.text.trim().starts_with(key));
        let missing: Vec<&str> =
            ["max-size", "max-file"].into_iter().filter(|k| !has(&format!("{k}="))).collect();
        if missing.is_empty() {
            return;
        }
        let list = missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" or ");
        let how = if spec.compose {
            "set `logging: {options: {max-size: \"10m\", max-file: \"5\"}}`".to_string()
        } else {
            "add `--log-opt max-size=10m --log-opt max-file=5`".to_string()
        };
        let f = sink
            .report(spec.file, spec.span, format!("the container's json-file logs have no {list} limit"))
            .help(format!("{how}, or log to journald"))
            .anchor(spec.anchor_for("logging"));
        // After `run`, the options go in as they would be typed. A Compose service has no such
        // place (`insert_at` is None): its `logging:` block needs the text's indentation.
        if let Some(at) = spec.insert_at {
            let options: String = missing
                .iter()
                .map(|k| format!(" --log-opt {k}={}", if *k == "max-size" { "10m" } else { "5" }))
                .collect();
            f.fix(Fix {
                description: format!("add{options}"),
                safe: true,
                edits: vec![Edit { file: spec.file, span: Span::empty(at as usize), replacement: options }],
            });
        }
    }
}
