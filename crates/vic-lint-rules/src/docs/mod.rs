//! Rules on the component's integration document, the filled-in copy of the appliance's
//! template (`INTEGRATION-TEMPLATE.md`).

mod acceptance;
mod exit_codes;
mod missing;
mod unanswered;

pub use acceptance::NoAcceptanceTests;
pub use exit_codes::UndocumentedUpgradeExitCode;
pub use missing::MissingIntegrationDoc;
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

/// The lines of the document, with their start offsets, outside code fences.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n').map(move |l| {
        let at = offset;
        offset += l.len();
        (at, l.trim_end_matches(['\n', '\r']))
    })
}
