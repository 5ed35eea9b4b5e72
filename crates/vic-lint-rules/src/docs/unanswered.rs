use vic_lint_core::rule::{ComponentCx, Rule, Sink};
use vic_lint_syntax::markdown::{Doc, Item};

/// CI-3: every question of the integration document is answered.
pub struct UnansweredQuestion;

/// Words that stand for an answer still to be written.
const PLACEHOLDERS: &[&str] = &["todo", "tbd", "tbc", "fixme", "xxx", "?", "..."];

/// Markers that leave an answer unfinished wherever they stand in it: "tagged `latest`; TODO
/// tag for release builds" answers half the question.
const UNFINISHED: &[&str] = &["todo", "tbd", "tbc", "fixme"];

/// The answer without emphasis, quotes and punctuation around it, in lower case.
fn bare(answer: &str) -> String {
    answer.trim().trim_matches(['*', '_', '`', '.', ':', '-', ' ']).to_ascii_lowercase()
}

pub(super) fn placeholder(answer: &str) -> bool {
    let a = bare(answer);
    a.is_empty()
        || PLACEHOLDERS
            .iter()
            .any(|p| a == *p || a.starts_with(&format!("{p}:")) || a.starts_with(&format!("{p} ")))
        || unfinished_marker(answer).is_some()
}

/// The first marker of an unfinished answer in it: a whole word TODO, TBD, TBC or FIXME (any
/// case), or XXX in capitals.
fn unfinished_marker(answer: &str) -> Option<&str> {
    answer
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| *w == "XXX" || UNFINISHED.iter().any(|u| w.eq_ignore_ascii_case(u)))
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
                if !item.is_question() || answered_no(item) || answered_by_labels(doc.parsed, n) {
                    continue;
                }
                let (span, message) = match (&item.answer, item.answer_span) {
                    (Some(a), Some(s)) if !placeholder_only(a) && unfinished_marker(a).is_some() => {
                        let marker = unfinished_marker(a).unwrap_or("TODO");
                        (s, format!("the answer still says `{marker}`: part of the question is unanswered"))
                    }
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

/// The answer is nothing but a placeholder (`TODO`, `TBD: ask Bob`).
fn placeholder_only(answer: &str) -> bool {
    let a = bare(answer);
    PLACEHOLDERS.iter().any(|p| a == *p || a.starts_with(&format!("{p}:")))
}

/// A question answered through its sub-bullets: a bullet ending in `:` that asks for a value,
/// the author's label (`- Data: /storage/data/admiral`) or the template's own prompt ("Where will
/// the VIC appliance build obtain component artifacts?" is answered by "Link to bucket that will
/// contain development builds:" and its link). A follow-up question (`…?`) answered NO does not
/// answer the question above it.
fn answered_by_labels(doc: &Doc, item: usize) -> bool {
    doc.children(item)
        .filter_map(|c| doc.items.get(c))
        .any(|c| c.question().ends_with(':') && c.answer.as_deref().is_some_and(|a| !placeholder(a)))
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
        assert!(placeholder("Development builds are tagged `latest`; TODO tag for release builds"));
        assert!(placeholder("Uploaded to GCS (fixme: bucket name)"));
        assert!(!placeholder("See the xxx-large sizing guide"));
        assert!(!placeholder("The mastodon service"));
    }
}

#[cfg(test)]
mod label_tests {
    use vic_lint_syntax::markdown::parse;

    use super::answered_by_labels;

    #[test]
    fn labelled_sub_bullets_answer_their_question() {
        let doc = parse("- What volumes need to be mounted?\n    - Data: /storage/data/admiral\n    - Logs: /storage/log/admiral\n");
        assert!(answered_by_labels(&doc, 0));
        let todo = parse("- What volumes need to be mounted?\n    - Data: TODO\n");
        assert!(!answered_by_labels(&todo, 0));
        let question = parse("- Specify networking requirements\n    - External networking:\n");
        assert!(!answered_by_labels(&question, 0));
        let group = parse(
            "- Where will the build obtain artifacts?\n\n    - Link to the bucket of development builds:\n\n      https://storage.googleapis.com/x-builds/\n",
        );
        assert!(answered_by_labels(&group, 0));
        let follow_up =
            parse("- How is the artifact picked?\n\n    - Are there other artifacts?\n\n      NO\n");
        assert!(!answered_by_labels(&follow_up, 0));
    }
}
