//! Rules on the appliance version file (`/etc/vmware/version`): one `name=value` line per
//! component, image entries with tag and image ID, versions that tell builds apart.

mod build_number;
mod entry_lines;
mod floating;
mod git_tag;
mod image_id;
mod missing_entry;
mod not_recorded;
mod upgrade_version;

pub use build_number::DevVersionWithoutBuildNumber;
pub use entry_lines::MalformedVersionEntry;
pub use floating::FloatingVersionEntry;
pub use git_tag::VersionWithoutGitTag;
pub use image_id::ImageEntryWithoutId;
pub use missing_entry::ComponentNotInVersionFile;
pub use not_recorded::ImageNotRecorded;
pub use upgrade_version::UpgradeVersionMismatch;

use vic_lint_core::rule::{ComponentCx, VersionDoc};
use vic_lint_syntax::version::VersionEntry;
use vic_lint_syntax::{FileId, Span};

/// The component's own line in a version file.
pub(crate) fn own_entry<'a>(cx: &'a ComponentCx<'_>) -> Option<(&'a VersionDoc<'a>, &'a VersionEntry)> {
    cx.versions
        .iter()
        .find_map(|v| v.parsed.entries.iter().find(|e| e.name == cx.component.name).map(|e| (v, e)))
}

/// A version as a build names it: an image's tag, or the whole value (`v1.2.0-rc1-118-ge50b7b1`,
/// `harbor-offline-installer-v1.2.0.tgz`), with where it is written.
pub(crate) struct Version<'a> {
    pub text: &'a str,
    pub file: FileId,
    pub span: Span,
}

pub(crate) fn version_of<'a>(doc: &VersionDoc<'_>, e: &'a VersionEntry) -> Option<Version<'a>> {
    let file = doc.source.id;
    match &e.image {
        Some(img) => Some(Version { text: img.tag.as_deref()?, file, span: img.tag_span? }),
        None => Some(Version { text: &e.value, file, span: e.value_span }),
    }
}

/// `v1.2.0` somewhere in the text, after a start, `_`, `-` or `/`: the form `git describe`
/// and release tags take.
pub(crate) fn git_tag(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    (0..bytes.len()).find_map(|i| {
        let boundary = i == 0 || matches!(bytes.get(i - 1), Some(b'_' | b'-' | b'/' | b'.' | b':'));
        if !boundary || bytes.get(i) != Some(&b'v') {
            return None;
        }
        let rest = text.get(i + 1..)?;
        let len = dotted_number_len(rest)?;
        text.get(i..i + 1 + len)
    })
}

/// Length of `1.2` or `1.2.3` at the start (at least two numbers).
fn dotted_number_len(s: &str) -> Option<usize> {
    let mut parts = 0;
    let mut len = 0;
    for part in s.split('.') {
        let digits = part.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            break;
        }
        parts += 1;
        len += digits + usize::from(parts > 1);
        if digits < part.len() || parts == 3 {
            break;
        }
    }
    (parts >= 2).then_some(len)
}

#[cfg(test)]
mod tests {
    use super::git_tag;

    #[test]
    fn git_tags_are_found_inside_versions() {
        assert_eq!(git_tag("v1.2.0-rc1-118-ge50b7b1"), Some("v1.2.0"));
        assert_eq!(git_tag("vic_v1.2.1"), Some("v1.2.1"));
        assert_eq!(git_tag("harbor-offline-installer-v1.2.0.tgz"), Some("v1.2.0"));
        assert_eq!(git_tag("v1.5"), Some("v1.5"));
        assert_eq!(git_tag("latest"), None);
        assert_eq!(git_tag("dev"), None);
        assert_eq!(git_tag("1.2.0"), None);
        assert_eq!(git_tag("dev1.2"), None);
        assert_eq!(git_tag("v1"), None);
    }
}
