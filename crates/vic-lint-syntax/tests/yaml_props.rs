#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Properties of the YAML tree on arbitrary and YAML-looking input: no panic, every span inside
//! the text and on character boundaries, and plain and quoted scalars whose `raw` is exactly the
//! text at their span.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use vic_lint_syntax::yaml::{self, Limits, Node, Stream, Style, Value};
use vic_lint_syntax::Span;

fn check_span(text: &str, span: Span, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(span.start <= span.end, "{what}: {span:?} is reversed");
    prop_assert!(span.end as usize <= text.len(), "{what}: {span:?} beyond the text ({} bytes)", text.len());
    prop_assert!(text.is_char_boundary(span.start as usize), "{what}: {span:?} starts inside a character");
    prop_assert!(text.is_char_boundary(span.end as usize), "{what}: {span:?} ends inside a character");
    Ok(())
}

fn check_node(text: &str, root: &Node) -> Result<usize, TestCaseError> {
    let mut count = 0;
    let mut todo = vec![root];
    while let Some(node) = todo.pop() {
        count += 1;
        check_span(text, node.span, "node")?;
        if let Some(site) = node.via_alias {
            check_span(text, site, "via_alias")?;
            prop_assert!(text[site.range()].starts_with('*'), "via_alias {site:?} is not an alias");
        }
        match &node.value {
            Value::Scalar(s) => {
                if matches!(s.style, Style::Plain | Style::SingleQuoted | Style::DoubleQuoted) {
                    prop_assert_eq!(&text[node.span.range()], s.raw.as_str(), "raw of {:?}", s);
                }
            }
            Value::Seq(items) => todo.extend(items),
            Value::Map(pairs) => {
                for pair in pairs {
                    if let Some(from) = pair.merged_from {
                        check_span(text, from, "merged_from")?;
                        let key = &text[from.range()];
                        prop_assert!(key == "<<" || key.starts_with('*'), "merged_from {from:?} is {key:?}");
                    }
                    todo.push(&pair.key);
                    todo.push(&pair.value);
                }
            }
        }
    }
    Ok(count)
}

/// Every property, on one input.
fn check(text: &str, limits: &Limits) -> Result<Stream, TestCaseError> {
    let stream = yaml::parse(text, limits);
    for doc in &stream.docs {
        check_span(text, doc.span, "document")?;
        if let Some(root) = &doc.root {
            check_node(text, root)?;
            // Conversions walk the whole tree: they must not fail on anything the parse built.
            let _ = root.to_json();
            prop_assert!(root.clone() == *root);
        }
    }
    for e in &stream.errors {
        check_span(text, e.span, &format!("error `{}`", e.message))?;
        if let Some(other) = e.other {
            check_span(text, other, "other")?;
        }
        prop_assert!(!e.message.is_empty());
    }
    for c in &stream.comments {
        check_span(text, c.span, "comment")?;
        prop_assert_eq!(&text[c.span.range()], format!("#{}", c.text));
    }
    prop_assert!(stream.errors.windows(2).all(|w| w[0].span.start <= w[1].span.start), "errors unsorted");
    prop_assert!(stream.comments.windows(2).all(|w| w[0].span.start <= w[1].span.start), "comments unsorted");
    Ok(stream)
}

/// One line of something YAML-like: any indentation (tabs included), maybe a `-`, a key, and a
/// value drawn from what makes YAML hard: anchors, aliases, merges, quotes, comments, flow
/// collections left open, block scalars.
fn line() -> impl Strategy<Value = String> {
    let indent = prop::sample::select(vec!["", "  ", "    ", "\t", " \t", "      "]);
    let dash = prop::sample::select(vec!["", "- ", "- - ", "-\t"]);
    let key = prop::sample::select(vec!["a", "b", "<<", "\"<<\"", "'k'", "? x", "é", "key with space", ""]);
    let value = prop::sample::select(vec![
        "",
        " 1",
        " 3.10",
        " \"3.10\"",
        " 'it''s'",
        " &a x",
        " &a",
        " &b {x: 1}",
        " *a",
        " *b",
        " [*a, *b]",
        " &a [*a]",
        " [1, [2",
        " {k: v",
        " ]",
        " }",
        " # comment",
        " |",
        " >-",
        " \"esc \\t \\u00e9\"",
        " \"open",
        " !!str 5",
        " !reset",
        " ~",
        " ---",
        "\t1",
    ]);
    (indent, dash, key, prop::sample::select(vec![":", "", ": "]), value)
        .prop_map(|(i, d, k, c, v)| format!("{i}{d}{k}{c}{v}"))
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![8 => line(), 1 => Just("---".to_owned()), 1 => Just("...".to_owned())],
        0..24,
    )
    .prop_map(|lines| lines.join("\n"))
}

/// What one line of a block document holds; openers take the next lines, one level deeper.
#[derive(Clone, Debug)]
enum Item {
    Pair(&'static str, &'static str),
    Opener(&'static str, &'static str),
    Entry(&'static str),
    EntryOpener,
    Merge(&'static str),
    Comment,
}

fn item() -> impl Strategy<Value = Item> {
    let key = prop::sample::select(vec!["a", "b", "image", "x-é", "\"q\"", "'s'"]);
    let value = prop::sample::select(vec![
        "1",
        "3.10",
        "\"3.10\"",
        "'it''s'",
        "&a {x: 1, y: [1, 2]}",
        "&b {y: 2, z: *a}",
        "*a",
        "*b",
        "[*a, *b]",
        "&c v",
        "*c",
        "~",
        "",
        "!!str 5",
        "\"é\\t\"",
        "x # c",
        "0x1F",
        "true",
        "|\n  text",
        "[1, {k: v}]",
    ]);
    let anchor = prop::sample::select(vec!["", " &a", " &b", " &c"]);
    let merge = prop::sample::select(vec!["*a", "*b", "[*a, *b]", "{m: 1}", "5", "*c", "[*b, *a]"]);
    prop_oneof![
        4 => (key.clone(), value.clone()).prop_map(|(k, v)| Item::Pair(k, v)),
        2 => (key, anchor).prop_map(|(k, a)| Item::Opener(k, a)),
        2 => value.prop_map(Item::Entry),
        1 => Just(Item::EntryOpener),
        1 => merge.prop_map(Item::Merge),
        1 => Just(Item::Comment),
    ]
}

/// Mostly well-formed block documents: consistent indentation, each level a mapping or a
/// sequence throughout, anchors defined before most of their aliases, merges and duplicate keys;
/// now and then a tab replaces the indentation.
fn block_document() -> impl Strategy<Value = String> {
    prop::collection::vec((item(), 0usize..3, prop::bool::weighted(0.05)), 1..40).prop_map(|lines| {
        let (mut out, mut depth, mut opened) = (String::new(), 0usize, false);
        // Per open level: a sequence (`Some(true)`), a mapping, or not known yet.
        let mut levels: Vec<Option<bool>> = vec![None];
        for (item, up, tab) in lines {
            depth = if opened { depth + 1 } else { depth.saturating_sub(up) };
            levels.resize(depth + 1, None);
            let is_seq = matches!(item, Item::Entry(_) | Item::EntryOpener);
            let item = match (levels[depth], item) {
                (_, Item::Comment) => Item::Comment,
                (Some(true), Item::Pair(_, v)) => Item::Entry(v),
                (Some(true), Item::Opener(..)) => Item::EntryOpener,
                (Some(true), Item::Merge(m)) => Item::Entry(m),
                (Some(false), Item::Entry(v)) => Item::Pair("e", v),
                (Some(false), Item::EntryOpener) => Item::Opener("e", ""),
                (None, item) => {
                    levels[depth] = Some(is_seq);
                    item
                }
                (_, item) => item,
            };
            let indent = if tab { "\t".repeat(depth) } else { "  ".repeat(depth) };
            opened = matches!(item, Item::Opener(..) | Item::EntryOpener);
            let body = match item {
                Item::Pair(k, v) => format!("{k}: {v}"),
                Item::Opener(k, a) => format!("{k}:{a}"),
                Item::Entry(v) => format!("- {v}"),
                Item::EntryOpener => "-".to_owned(),
                Item::Merge(m) => format!("<<: {m}"),
                Item::Comment => "# note".to_owned(),
            };
            out.push_str(&format!("{indent}{body}\n"));
        }
        out
    })
}

fn limits() -> impl Strategy<Value = Limits> {
    (0usize..8, 0usize..64).prop_map(|(max_depth, max_nodes)| Limits { max_depth, max_nodes })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_strings(text in any::<String>()) {
        check(&text, &Limits::default())?;
    }

    #[test]
    fn yaml_alphabet_soup(text in "[-a-z0-9:&*<{}\\[\\],#\"'| \t\n>!~.?%@`\\\\é]{0,160}") {
        check(&text, &Limits::default())?;
    }

    #[test]
    fn yaml_like_documents(text in document()) {
        check(&text, &Limits::default())?;
    }

    #[test]
    fn block_documents(text in block_document()) {
        check(&text, &Limits::default())?;
    }

    #[test]
    fn yaml_like_documents_under_tight_limits(
        text in prop_oneof![document(), block_document()],
        limits in limits(),
    ) {
        let stream = check(&text, &limits)?;
        for root in stream.docs.iter().filter_map(|d| d.root.as_ref()) {
            let mut deepest = 0;
            let mut todo = vec![(root, 0usize)];
            while let Some((node, depth)) = todo.pop() {
                let children: Vec<&Node> = match &node.value {
                    Value::Scalar(_) => continue,
                    Value::Seq(items) => items.iter().collect(),
                    Value::Map(pairs) => pairs.iter().flat_map(|p| [&p.key, &p.value]).collect(),
                };
                deepest = deepest.max(depth + 1);
                todo.extend(children.into_iter().map(|c| (c, depth + 1)));
            }
            prop_assert!(deepest <= limits.max_depth, "{deepest} levels read with max_depth {}", limits.max_depth);
        }
    }
}
