use vic_lint_core::rule::{ComponentCx, Rule, Sink};
use vic_lint_syntax::markdown::Item;

/// CI-3: every question of the integration document is answered.
pub struct UnansweredQuestion;

/// Words that stand for an answer still to be written.
const PLACEHOLDERS: &[&str] = &["todo", "tbd", "tbc", "fixme", "xxx", "?", "..."];

pub(super) fn placeholder(answer: &str) -> bool {
    let a = answer.trim().trim_matches(['*', '_', '`', '.', ':', '-', ' ']).to_ascii_lowercase();
    a.is_empty()
        || PLACEHOLDERS
            .iter()
            .any(|p| a == *p || a.starts_with(&format!("{p}:")) || a.starts_with(&format!("{p} ")))
}

impl Rule for UnansweredQuestion {
    fn code(&self) -> &'static str {
        "D002"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        for doc in cx.docs {
            let items = &doc.parsed.items;
            let answered_no = |item: &Item| {
                let mut parent = item.parent;
                // Bounded by the number of items, whatever the parent links say.
                for _ in 0..items.len() {
                    let Some(p) = parent.and_then(|i| items.get(i)) else { return false };
                    // NO, N/A, None: the sub-questions of this one do not apply.
                    if p.is_question() && p.is_negative_answer() {
                        return true;
                    }
                    parent = p.parent;
                }
                false
            };
            for (n, item) in items.iter().enumerate() {
                if !item.is_question() || answered_no(item) {
                    continue;
                }
                let (span, message) = match (&item.answer, item.answer_span) {
                    (Some(a), Some(s)) if placeholder(a) => (s, format!("`{}` is not an answer", a.trim())),
                    (Some(a), _) if !placeholder(a) => continue,
                    _ => (item.span, format!("unanswered: {}", item.question())),
                };
                sink.report(doc.source.id, span, message)
                    .help("answer below the question (a sentence, a link, or NO when it does not apply)")
                    .anchor(format!("question#{n}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        assert!(placeholder("TODO"));
        assert!(placeholder("tbd: ask Bob"));
        assert!(placeholder(" **TBD** "));
        assert!(!placeholder("Stored in gs://vic-product"));
        assert!(!placeholder("Todos are tracked in Jira"));
    }
}
