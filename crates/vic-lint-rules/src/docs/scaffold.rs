use vic_lint_core::rule::{ComponentCx, Rule, Sink};
use vic_lint_syntax::Span;

/// What `vic-lint init` writes after an answer it could only guess.
pub const MARKER: &str = "<!-- vic-lint init: confirm this answer -->";

/// VL-4: answers a scaffold wrote are confirmed by the team that owns the component.
pub struct UnconfirmedScaffoldAnswer;

impl Rule for UnconfirmedScaffoldAnswer {
    fn code(&self) -> &'static str {
        "D005"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        for doc in cx.docs {
            let text = &doc.source.text;
            for (i, (at, _)) in text.match_indices(MARKER).enumerate() {
                sink.report(
                    doc.source.id,
                    Span::new(at, at + MARKER.len()),
                    "this answer was written by `vic-lint init`",
                )
                .help("read the answer above, correct it if needed, and delete this comment")
                .anchor(format!("scaffold#{i}"));
            }
        }
    }
}
