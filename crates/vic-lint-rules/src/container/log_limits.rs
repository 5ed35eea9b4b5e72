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
        if spec.compose && spec.log_driver.is_none() && spec.log_opts.is_empty() {
            if let Some(fix) = text_fix(cx, spec) {
                f.fix(fix);
            }
            return;
        }
        // After `run`, the options go in as they would be typed.
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

/// A Compose service without any `logging:` key gets the whole block, first in the service and
/// indented as its other keys are. A flow-style service (`ui: {image: x}`) is left alone.
fn text_fix(cx: &ContainerCx<'_>, spec: &vic_lint_core::container::ContainerSpec) -> Option<Fix> {
    let text = cx.texts.text_of(spec.file)?;
    let key_end = spec.span.end as usize;
    // Only blanks may follow the key on its line; stopping at the first other character keeps a
    // flow-style file on one long line from being scanned once per service.
    let after = text.get(key_end..)?.trim_start_matches(':');
    let blank = after.len() - after.trim_start_matches([' ', '\t', '\r']).len();
    let line_end = text.len() - after.len() + blank;
    if text.as_bytes().get(line_end) != Some(&b'\n') {
        return None;
    }
    let key_line_start = text.get(..key_end)?.rfind('\n').map_or(0, |i| i + 1);
    let key_indent = key_end - key_line_start - text.get(key_line_start..key_end)?.trim_start().len();
    let body = text.get(line_end + 1..)?;
    let first = body.lines().find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))?;
    let indent = &first[..first.len() - first.trim_start().len()];
    if indent.len() <= key_indent || indent.contains('\t') {
        return None;
    }
    let step = " ".repeat(indent.len() - key_indent);
    let block = format!(
        "{indent}logging:\n{indent}{step}driver: json-file\n{indent}{step}options:\n\
         {indent}{step}{step}max-size: \"10m\"\n{indent}{step}{step}max-file: \"5\"\n"
    );
    Some(Fix {
        description: "add a logging block with max-size and max-file".into(),
        safe: true,
        edits: vec![Edit { file: spec.file, span: Span::empty(line_end + 1), replacement: block }],
    })
}
