#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Properties of the version file and integration document parsers on hostile input: no panic,
//! every span inside the text and on character boundaries, and texts that map back to the file.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use vic_lint_syntax::markdown;
use vic_lint_syntax::version;
use vic_lint_syntax::Span;

fn check_span(text: &str, span: Span, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(span.start <= span.end, "{what}: {span:?} is reversed");
    prop_assert!(span.end as usize <= text.len(), "{what}: {span:?} beyond the text ({} bytes)", text.len());
    prop_assert!(text.is_char_boundary(span.start as usize), "{what}: {span:?} starts inside a character");
    prop_assert!(text.is_char_boundary(span.end as usize), "{what}: {span:?} ends inside a character");
    Ok(())
}

fn within(inner: Span, outer: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

fn check_version(text: &str) -> Result<(), TestCaseError> {
    let parsed = version::parse(text);
    for e in &parsed.errors {
        check_span(text, e.span, &format!("error `{}`", e.message))?;
        prop_assert!(!e.message.is_empty());
    }
    let mut names = std::collections::HashSet::new();
    for e in &parsed.entries {
        prop_assert!(names.insert(e.name.clone()), "duplicate entry {}", e.name);
        for (span, what) in [(e.name_span, "name"), (e.value_span, "value"), (e.line_span, "line")] {
            check_span(text, span, what)?;
        }
        prop_assert_eq!(&text[e.name_span.range()], e.name.as_str());
        prop_assert_eq!(&text[e.value_span.range()], e.value.as_str());
        prop_assert!(!e.name.is_empty() && !e.value.is_empty());
        prop_assert!(within(e.name_span, e.line_span) && within(e.value_span, e.line_span));
        let line = &text[e.line_span.range()];
        prop_assert!(!line.contains('\n'), "{line:?}");
        prop_assert_eq!(e.image.is_some(), version::looks_like_image(&e.value));
        if let Some(img) = &e.image {
            check_image(text, img, e.value_span)?;
        }
    }
    Ok(())
}

fn check_image(text: &str, img: &version::ImageRef, within_span: Span) -> Result<(), TestCaseError> {
    check_span(text, img.repository_span, "repository")?;
    prop_assert!(within(img.repository_span, within_span));
    prop_assert_eq!(&text[img.repository_span.range()], img.repository.as_str());
    prop_assert_eq!(img.tag.is_some(), img.tag_span.is_some());
    if let (Some(tag), Some(span)) = (&img.tag, img.tag_span) {
        check_span(text, span, "tag")?;
        prop_assert!(within(span, within_span));
        prop_assert_eq!(&text[span.range()], tag.as_str());
        prop_assert!(!tag.is_empty());
    }
    prop_assert_eq!(img.id.is_some(), img.id_span.is_some());
    if let (Some(id), Some(span)) = (&img.id, img.id_span) {
        check_span(text, span, "id")?;
        prop_assert!(within(span, within_span));
        prop_assert_eq!(&text[span.range()], id.as_str());
    }
    Ok(())
}

fn check_markdown(text: &str) -> Result<(), TestCaseError> {
    let doc = markdown::parse(text);
    prop_assert_eq!(&doc, &markdown::parse(text), "parse is deterministic");
    let _ = markdown::follows_template(&doc);
    for h in &doc.headings {
        check_span(text, h.span, "heading")?;
        prop_assert!((1..=6).contains(&h.level));
        prop_assert!(text[h.span.range()].starts_with('#'));
        prop_assert_eq!(h.text.trim(), h.text.as_str());
    }
    for (i, item) in doc.items.iter().enumerate() {
        check_span(text, item.span, "item")?;
        let line = &text[item.span.range()];
        prop_assert!(!line.contains('\n'), "{line:?}");
        prop_assert!(
            line.starts_with(['-', '*', '+']) || line.starts_with(|c: char| c.is_ascii_digit()),
            "{line:?}"
        );
        match item.parent {
            Some(p) => {
                prop_assert!(p < i);
                prop_assert_eq!(item.depth, doc.items[p].depth + 1);
                prop_assert!(doc.items[p].span.end <= item.span.start);
            }
            None => prop_assert_eq!(item.depth, 0),
        }
        if let Some(s) = item.section {
            prop_assert!(s < doc.headings.len());
            prop_assert!(doc.headings[s].span.end <= item.span.start);
        }
        prop_assert_eq!(item.text.split_whitespace().collect::<Vec<_>>().join(" "), item.text.clone());
        let rest = &text[item.span.start as usize..];
        for word in item.text.split_whitespace() {
            prop_assert!(rest.contains(word), "question word {word:?} not in the file after the bullet");
        }
        prop_assert_eq!(item.answer.is_some(), item.answer_span.is_some());
        if let (Some(answer), Some(span)) = (&item.answer, item.answer_span) {
            check_span(text, span, "answer")?;
            prop_assert!(!answer.is_empty());
            prop_assert_eq!(answer.trim(), answer.as_str());
            prop_assert!(span.start >= item.span.start);
            let written = &text[span.range()];
            for word in answer.split_whitespace() {
                prop_assert!(written.contains(word), "answer word {word:?} not in {written:?}");
            }
        }
        let _ = (item.is_question(), item.is_negative_answer(), item.question());
    }
    Ok(())
}

fn from_fragments(fragments: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(fragments), 0..max).prop_map(|v| v.concat())
}

const VERSION_FRAGMENTS: &[&str] = &[
    "admiral",
    "harbor",
    "=",
    "==",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "#",
    ":",
    "/",
    "@",
    "sha256:",
    "1fa8a0f5ec6d",
    "vmware/admiral",
    ":v1.2.1",
    "host:5000/",
    ".tgz",
    ".tar.gz",
    "é",
    "𝔘",
    "\u{2003}",
    "\u{feff}",
    "x y",
    "latest",
];

const MARKDOWN_FRAGMENTS: &[&str] = &[
    "- ",
    "* ",
    "+ ",
    "1. ",
    "2) ",
    "-",
    "  ",
    "    ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "# ",
    "### ",
    "#",
    "Q?",
    "?",
    ":",
    ": ",
    "? ",
    "answer",
    "**Answer:** ",
    "> ",
    ">",
    "```",
    "~~~",
    "`",
    "<!--",
    "-->",
    "---",
    "***",
    "https://x?y",
    "é",
    "𝔘",
    "\u{2003}",
    "\u{feff}",
    "NO",
    "(such as `/storage/db`)",
    "This should be avoided if possible.",
    "Specify networking requirements",
    "Component Inclusion",
    "Runtime",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn version_any_text(text in "\\PC*") {
        check_version(&text)?;
    }

    #[test]
    fn version_structured(text in from_fragments(VERSION_FRAGMENTS, 40)) {
        check_version(&text)?;
    }

    #[test]
    fn image_ref_any_value(value in "\\PC*", start in 0usize..100) {
        let padded = format!("{}{value}", "x".repeat(start));
        let img = version::parse_image_ref(&value, start);
        check_image(&padded, &img, Span::new(start, padded.len()))?;
        let _ = (version::looks_like_image(&value), version::is_hex_id(&value));
    }

    #[test]
    fn markdown_any_text(text in "\\PC*") {
        check_markdown(&text)?;
    }

    #[test]
    fn markdown_structured(text in from_fragments(MARKDOWN_FRAGMENTS, 60)) {
        check_markdown(&text)?;
    }
}
