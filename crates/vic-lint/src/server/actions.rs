//! What the editor asks about a finding: its fixes and suppression, and its rule's page.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Hover, HoverContents, MarkupContent, MarkupKind,
    Position, Range,
};

use super::convert::touches;
use super::workspace::{Action, Entry};

/// The fixes of the findings under `range` (safe ones preferred, unsafe ones say so), then a
/// suppression for each where the configuration allows one inline.
pub fn code_actions(entries: &[Entry], range: &Range) -> Vec<CodeActionOrCommand> {
    let under: Vec<&Entry> = entries.iter().filter(|e| touches(&e.diagnostic.range, range)).collect();
    let action = |e: &Entry, a: &Action, preferred: bool| {
        CodeActionOrCommand::CodeAction(CodeAction {
            title: a.title.clone(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![e.diagnostic.clone()]),
            edit: Some(a.edit.clone()),
            is_preferred: preferred.then_some(true),
            ..CodeAction::default()
        })
    };
    let fixes = under.iter().filter_map(|e| e.fix.as_ref().map(|a| action(e, a, a.safe)));
    let suppressions = under.iter().filter_map(|e| e.suppress.as_ref().map(|a| action(e, a, false)));
    fixes.chain(suppressions).collect()
}

/// The page of each rule with a finding under the cursor: what it checks, why, and the examples.
pub fn hover(entries: &[Entry], at: Position) -> Option<Hover> {
    let point = Range { start: at, end: at };
    let mut seen = Vec::new();
    let mut pages = Vec::new();
    let mut span: Option<Range> = None;
    for e in entries.iter().filter(|e| touches(&e.diagnostic.range, &point)) {
        span.get_or_insert(e.diagnostic.range);
        let Some(meta) = e.meta else {
            pages.push(e.diagnostic.message.clone());
            continue;
        };
        if !seen.contains(&meta.code) {
            seen.push(meta.code);
            pages.push(crate::info::page(meta));
        }
    }
    (!pages.is_empty()).then(|| Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: pages.join("\n---\n\n"),
        }),
        range: span,
    })
}
