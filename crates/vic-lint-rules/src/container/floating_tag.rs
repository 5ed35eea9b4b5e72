use vic_lint_core::rule::{ContainerCx, Rule, Sink};
use vic_lint_syntax::Span;

/// VER-5: a floating tag names a different build tomorrow.
pub struct FloatingImageTag;

const FLOATING: &[&str] = &[
    "latest", "ova", "dev", "devel", "develop", "master", "main", "stable", "edge", "nightly", "head",
    "current", "release", "snapshot", "test", "testing", "unstable", "beta", "alpha", "canary", "trunk",
];

/// The tag of an image reference and its byte range in the reference, if it has one.
pub fn tag(image: &str) -> Option<(&str, std::ops::Range<usize>)> {
    let name = image.split('@').next().unwrap_or(image);
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let colon = name.get(last_slash..)?.rfind(':')? + last_slash;
    let t = name.get(colon + 1..)?;
    Some((t, colon + 1..name.len()))
}

impl Rule for FloatingImageTag {
    fn code(&self) -> &'static str {
        "K014"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        let Some(image) = &spec.image else { return };
        if image.variable || image.text.contains('@') {
            return;
        }
        let repo = tag(&image.text)
            .map_or(image.text.as_str(), |(_, r)| image.text.get(..r.start.saturating_sub(1)).unwrap_or(""));
        let help = format!("pin a version tag that changes with every build, e.g. `{repo}:v1.2.0`");
        match tag(&image.text) {
            None => {
                sink.report(
                    image.file,
                    image.span,
                    format!("image `{}` has no tag, which means `latest`", image.text),
                )
                .help(help.clone())
                .anchor(spec.anchor_for("image"));
            }
            Some((t, range)) if FLOATING.contains(&t.to_ascii_lowercase().as_str()) => {
                // Point at the tag itself when the text is exactly what the file holds.
                let span = if image.span.len() == image.text.len() {
                    Span::new(image.span.start as usize + range.start, image.span.start as usize + range.end)
                } else {
                    image.span
                };
                sink.report(
                    image.file,
                    span,
                    format!("`{t}` is a floating tag: every build must have its own"),
                )
                .help(help.clone())
                .anchor(spec.anchor_for("image"));
            }
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tag;

    #[test]
    fn tags() {
        assert_eq!(tag("a/b:v1").map(|t| t.0), Some("v1"));
        assert_eq!(tag("registry:5000/a/b").map(|t| t.0), None);
        assert_eq!(tag("registry:5000/a/b:latest"), Some(("latest", 18..24)));
        assert_eq!(tag("b@sha256:abc").map(|t| t.0), None);
    }
}
