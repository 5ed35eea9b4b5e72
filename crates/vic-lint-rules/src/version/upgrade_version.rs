use vic_lint_core::container::ContainerSpec;
use vic_lint_core::rule::{ComponentCx, Rule, Sink};
use vic_lint_syntax::version::parse_image_ref;
use vic_lint_syntax::Span;

use super::{git_tag, own_entry, version_of};

/// UPG-9: the appliance build picks the upgrade container by the component's version.
pub struct UpgradeVersionMismatch;

/// A container that runs the component's upgrade: a Compose service or an image whose name
/// says so.
fn is_upgrade(spec: &ContainerSpec) -> bool {
    let service = spec.compose && spec.anchor.rsplit('/').next().is_some_and(|n| n.contains("upgrade"));
    service || spec.image.as_ref().is_some_and(|i| parse_image_ref(&i.text, 0).repository.contains("upgrade"))
}

impl Rule for UpgradeVersionMismatch {
    fn code(&self) -> &'static str {
        "V008"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        // The component's version: its version-file entry, else its own service's image tag.
        let entry = own_entry(cx);
        // An artifact's file name (`harbor-offline-installer-v1.2.0.tgz`) carries the version inside.
        let file_name = entry.is_some_and(|(_, e)| e.image.is_none());
        let from_file =
            entry.and_then(|(doc, e)| version_of(doc, e)).map(|v| (v.text.to_string(), v.file, v.span));
        let from_image = || {
            cx.containers.iter().filter(|s| s.is_service && !is_upgrade(s)).find_map(|s| {
                let image = s.image.as_ref().filter(|i| !i.variable)?;
                let r = parse_image_ref(&image.text, image.span.start as usize);
                Some((r.tag?, image.file, r.tag_span?))
            })
        };
        let Some((version, file, span)) = from_file.or_else(from_image) else { return };
        for spec in cx.containers.iter().filter(|s| is_upgrade(s)) {
            let Some(image) = spec.image.as_ref().filter(|i| !i.variable) else { continue };
            let r = parse_image_ref(&image.text, image.span.start as usize);
            let (tag, at): (Option<&str>, Span) = match (&r.tag, r.tag_span) {
                (Some(t), Some(s)) if verbatim(image) => (Some(t), s),
                (Some(t), _) => (Some(t), image.span),
                _ => (None, image.span),
            };
            if tag.is_some_and(|t| t == version || (file_name && names_version(&version, t))) {
                continue;
            }
            let message = match tag {
                Some(t) => format!("the upgrade image is tagged `{t}`, the component is `{version}`"),
                None => format!("the upgrade image has no tag, the component is `{version}`"),
            };
            let in_name = git_tag(&version).filter(|t| file_name && names_version(&version, t));
            let wanted = in_name.unwrap_or(&version);
            let f = sink.report(image.file, at, message);
            f.help(format!(
                "tag the upgrade image with the component's version: `{}:{wanted}`",
                r.repository
            ))
            .anchor(spec.anchor_for("image"))
            .label(file, span, "the component's version");
        }
    }
}

/// Spans inside the image name are exact only when it was written verbatim.
fn verbatim(image: &vic_lint_core::container::Value) -> bool {
    !image.interpolated && image.span.len() == image.text.len()
}

/// Whether an artifact's file name holds `tag` as its version: `harbor-offline-installer-v1.2.0.tgz`
/// holds `v1.2.0` (after the start, `-`, `_` or `/`, before the end or a file extension).
fn names_version(file_name: &str, tag: &str) -> bool {
    !tag.is_empty()
        && file_name.match_indices(tag).any(|(at, _)| {
            let before = file_name.get(..at).and_then(|b| b.chars().next_back());
            let after = file_name.get(at + tag.len()..).unwrap_or("");
            before.is_none_or(|c| matches!(c, '-' | '_' | '/'))
                && (after.is_empty()
                    || after
                        .strip_prefix('.')
                        .is_some_and(|ext| ext.starts_with(|c: char| c.is_ascii_alphabetic())))
        })
}

#[cfg(test)]
mod tests {
    use super::names_version;

    #[test]
    fn versions_in_file_names() {
        assert!(names_version("harbor-offline-installer-v1.2.0.tgz", "v1.2.0"));
        assert!(names_version("vic_v1.2.1.tar.gz", "v1.2.1"));
        assert!(names_version("v1.2.0", "v1.2.0"));
        assert!(!names_version("harbor-offline-installer-v1.2.0.tgz", "v1.2"));
        assert!(!names_version("harbor-offline-installer-v1.2.0.tgz", "1.2.0"));
        assert!(!names_version("harbor-offline-installer-v1.2.0-rc1.tgz", "v1.2.0"));
        assert!(!names_version("harbor-offline-installer-v1.2.0.tgz", ""));
    }
}
