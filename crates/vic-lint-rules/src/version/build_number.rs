use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use super::{git_tag, own_entry, version_of};

/// VER-7: the appliance build picks the newest development build by its build number.
pub struct DevVersionWithoutBuildNumber;

impl Rule for DevVersionWithoutBuildNumber {
    fn code(&self) -> &'static str {
        "V007"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        let Some((doc, e)) = own_entry(cx) else { return };
        let Some(v) = version_of(doc, e) else { return };
        // Without a git tag the version is VER-6's finding; a release version needs no number.
        let Some(tag) = git_tag(v.text) else { return };
        if is_release(v.text, tag) || has_build_number(v.text, tag) {
            return;
        }
        sink.report(v.file, v.span, format!("the development version `{}` carries no build number", v.text))
            .help("append a number that grows with each build, as `git describe` does: `v1.2.0-118-ge50b7b1`")
            .anchor(format!("{}/build", e.name));
    }
}

/// The tag alone, or with a pre-release (`-rc1`, `-beta.2`), maybe inside a file name.
fn is_release(text: &str, tag: &str) -> bool {
    let Some(at) = text.find(tag) else { return false };
    let rest = text.get(at + tag.len()..).unwrap_or("");
    let rest =
        [".tar.gz", ".tgz", ".tar", ".zip", ".ova"].iter().find_map(|x| rest.strip_suffix(x)).unwrap_or(rest);
    rest.is_empty() || is_pre_release(rest)
}

fn is_pre_release(rest: &str) -> bool {
    let Some(label) = rest.strip_prefix('-') else { return false };
    let word = label.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    matches!(word, "rc" | "alpha" | "beta" | "rc." | "alpha." | "beta.") && word.len() < label.len()
}

/// A number after the tag that is not part of a commit hash: `-118-ge50b7b1`, `-build.42`,
/// `+42`, `-dev.7`.
fn has_build_number(text: &str, tag: &str) -> bool {
    let Some(at) = text.find(tag) else { return false };
    let rest = text.get(at + tag.len()..).unwrap_or("");
    rest.split(['-', '.', '+', '_']).any(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev_without_number(v: &str) -> bool {
        let tag = git_tag(v).unwrap();
        !is_release(v, tag) && !has_build_number(v, tag)
    }

    #[test]
    fn build_numbers() {
        assert!(!dev_without_number("v1.2.0"));
        assert!(!dev_without_number("v1.2.0-rc1"));
        assert!(!dev_without_number("harbor-offline-installer-v1.2.0.tgz"));
        assert!(!dev_without_number("v1.2.0-rc1-118-ge50b7b1"));
        assert!(!dev_without_number("v1.2.0-dev.7"));
        assert!(!dev_without_number("vic_v1.2.1"));
        assert!(dev_without_number("v1.2.0-dev"));
        assert!(dev_without_number("v1.2.0-ge50b7b1"));
        assert!(dev_without_number("v1.2.0-dirty"));
    }
}
