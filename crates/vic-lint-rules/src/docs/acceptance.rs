use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use super::{heading_span, lines};

/// CI-9: the appliance team runs the component's acceptance tests before a release.
pub struct NoAcceptanceTests;

impl Rule for NoAcceptanceTests {
    fn code(&self) -> &'static str {
        "D003"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        for doc in cx.docs {
            if describes_acceptance_tests(&doc.source.text) {
                continue;
            }
            sink.report(
                doc.source.id,
                heading_span(doc, "continuous integration"),
                "no acceptance tests are described",
            )
            .help(
                "add a section `### Acceptance Tests` that says which tests the appliance team runs \
                     for this component, and where they are",
            )
            .anchor("acceptance-tests");
        }
    }
}

/// A heading about acceptance tests with text under it, or a line that mentions them and says
/// something more than the words themselves.
fn describes_acceptance_tests(text: &str) -> bool {
    let mut under_heading = false;
    for line in lines(text) {
        let l = line.trim();
        let mentions = l.to_ascii_lowercase().contains("acceptance test");
        if l.starts_with('#') {
            under_heading = mentions;
            continue;
        }
        let words = l.trim_start_matches(['-', '*', '+', '>', ' ']).split_whitespace().count();
        // `TODO` under the heading describes nothing yet.
        if (under_heading && words > 0 && !super::unanswered::placeholder(l)) || (mentions && words > 4) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::describes_acceptance_tests;

    #[test]
    fn acceptance_tests() {
        assert!(describes_acceptance_tests("## Acceptance Tests\n\nRun `make e2e`.\n"));
        assert!(describes_acceptance_tests("- Acceptance tests live in tests/acceptance and run nightly\n"));
        assert!(!describes_acceptance_tests("## Acceptance Tests\n\n## Next\ntext\n"));
        assert!(!describes_acceptance_tests("## Acceptance Tests\n\nTODO\n- TBD: ask QE\n"));
        assert!(!describes_acceptance_tests("# Doc\nNothing here.\n"));
    }
}
