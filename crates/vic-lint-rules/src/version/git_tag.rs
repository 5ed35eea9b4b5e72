use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use super::{git_tag, own_entry, version_of};

/// VER-6: a version that contains the git tag leads straight to the source it was built from.
pub struct VersionWithoutGitTag;

impl Rule for VersionWithoutGitTag {
    fn code(&self) -> &'static str {
        "V006"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        let Some((doc, e)) = own_entry(cx) else { return };
        let Some(v) = version_of(doc, e) else { return };
        let floating = super::floating::FLOATING.contains(&v.text.to_ascii_lowercase().as_str());
        if git_tag(v.text).is_some() || floating {
            return;
        }
        sink.report(
            v.file,
            v.span,
            format!("the version `{}` of `{}` does not include a git tag", v.text, e.name),
        )
        .help("build the version from `git describe --tags`, e.g. `v1.2.0` or `v1.2.0-rc1-118-ge50b7b1`")
        .anchor(format!("{}/version", e.name));
    }
}
