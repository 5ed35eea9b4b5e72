//! Rules on the component's integration document, the filled-in copy of the appliance's
//! template (`INTEGRATION-TEMPLATE.md`).

mod acceptance;
mod exit_codes;
mod missing;
pub mod scaffold;
mod unanswered;

pub use acceptance::NoAcceptanceTests;
pub use exit_codes::UndocumentedUpgradeExitCode;
pub use missing::MissingIntegrationDoc;
pub use scaffold::UnconfirmedScaffoldAnswer;
pub use unanswered::UnansweredQuestion;

use vic_lint_core::rule::MarkdownDoc;
use vic_lint_syntax::Span;

/// Where a finding about the whole document points: the heading that contains `title`, else
/// the first heading, else the start.
pub(crate) fn heading_span(doc: &MarkdownDoc<'_>, title: &str) -> Span {
    let hs = &doc.parsed.headings;
    hs.iter()
        .find(|h| h.text.to_ascii_lowercase().contains(title))
        .or_else(|| hs.first())
        .map_or(Span::empty(0), |h| h.span)
}

/// The lines of the document outside code fences (a `# comment` in a shell example is not a
/// heading, nor documentation of an exit code).
pub(crate) fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut fence: Option<&str> = None;
    text.lines().filter(move |line| {
        let t = line.trim_start();
        let marker = ["```", "~~~"].into_iter().find(|m| t.starts_with(m));
        match (fence, marker) {
            (None, Some(m)) => {
                fence = Some(m);
                false
            }
            (Some(open), Some(m)) if m == open => {
                fence = None;
                false
            }
            (Some(_), _) => false,
            (None, None) => true,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::lines;

    #[test]
    fn code_fences_are_skipped() {
        let text = "# A\n```sh\n# not a heading\n~~~\n```\nafter\n~~~\nx\n~~~\nend\n";
        assert_eq!(lines(text).collect::<Vec<_>>(), ["# A", "after", "end"]);
    }
}
