#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Properties of the unit parser (and of the `Exec*=` parser on its values) on hostile input:
//! no panic, every span inside the text and on character boundaries, and values that were not
//! assembled from several lines map back to exactly the text they came from.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use vic_lint_syntax::exec::parse_exec;
use vic_lint_syntax::unit::{self, UnitFile, MAX_LINE_BYTES};
use vic_lint_syntax::Span;

/// A span lies inside the text, the right way round, on character boundaries.
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

/// Every property, on one input. Returns the parse for tests that look further.
fn check(text: &str) -> Result<UnitFile, TestCaseError> {
    let parsed = unit::parse(text);
    for e in &parsed.errors {
        check_span(text, e.span, &format!("error `{}`", e.message))?;
        prop_assert!(!e.message.is_empty());
    }
    let mut previous_end = 0;
    for section in &parsed.sections {
        check_span(text, section.name_span, "section name")?;
        let written = &text[section.name_span.range()];
        // A header on one physical line is the name as written.
        if !written.contains('\n') {
            prop_assert_eq!(written, section.name.as_str());
        }
        for entry in &section.entries {
            check_span(text, entry.span, "entry")?;
            check_span(text, entry.key_span, "key")?;
            check_span(text, entry.value.span(), "value")?;
            prop_assert!(
                within(entry.key_span, entry.span),
                "key {:?} outside {:?}",
                entry.key_span,
                entry.span
            );
            prop_assert!(
                within(entry.value.span(), entry.span),
                "value {:?} outside {:?}",
                entry.value.span(),
                entry.span
            );
            prop_assert!(entry.span.start >= previous_end, "entries out of order at {:?}", entry.span);
            previous_end = entry.span.end;
            prop_assert!(!entry.key.is_empty());
            // systemd strips only its own whitespace (space, tab, CR, LF), not form feeds.
            let systemd_trimmed = entry.value.as_str().trim_matches([' ', '\t', '\r', '\n']);
            prop_assert_eq!(systemd_trimmed, entry.value.as_str(), "value not trimmed");

            let line = &text[entry.span.range()];
            if !line.contains(['\n', '\r']) {
                // Not continued: key and value are verbatim.
                prop_assert_eq!(&text[entry.key_span.range()], entry.key.as_str());
                prop_assert_eq!(&text[entry.value.span().range()], entry.value.as_str());
            }
            for (word, span) in entry.value.words() {
                check_span(text, span, "value word")?;
                prop_assert!(within(span, entry.value.span()), "word {span:?} outside the value");
                // Joined line breaks read as spaces, so a word never spans one: every word is
                // verbatim, continued or not.
                prop_assert_eq!(&text[span.range()], word, "word span of {:?}", word);
            }
            check_exec(text, entry)?;
        }
    }
    Ok(parsed)
}

fn check_exec(text: &str, entry: &unit::Entry) -> Result<(), TestCaseError> {
    let value_span = entry.value.span();
    let line = parse_exec(&entry.value);
    for e in &line.errors {
        check_span(text, e.span, &format!("exec error `{}`", e.message))?;
        prop_assert!(within(e.span, value_span), "exec error {:?} outside the value {value_span:?}", e.span);
    }
    for cmd in &line.commands {
        check_span(text, cmd.span, "command")?;
        check_span(text, cmd.prefix_span, "prefixes")?;
        prop_assert!(within(cmd.span, value_span), "command {:?} outside the value {value_span:?}", cmd.span);
        prop_assert_eq!(cmd.word_spans.len(), cmd.argv.len());
        prop_assert!(!cmd.argv.is_empty());
        for (word, written) in cmd.argv.iter().zip(&cmd.word_spans) {
            check_span(text, *written, "exec word as written")?;
            prop_assert!(within(*written, cmd.span), "word {written:?} outside its command {:?}", cmd.span);
            if !word.is_empty() {
                check_span(text, word.span(), "exec word")?;
                prop_assert!(within(word.span(), *written), "word {:?} outside {written:?}", word.span());
            }
            for i in 0..=word.len() {
                if word.as_str().is_char_boundary(i) {
                    check_span(text, word.span_of(0..i), "exec word prefix")?;
                }
            }
        }
    }
    Ok(())
}

/// Characters that matter to the unit and exec grammars, with some that trip byte arithmetic.
fn unit_char() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(vec![
            "[", "]", "=", "\\", "\n", "#", ";", "\"", "'", "\r", " ", "\t", "A", "b", "x", "0", "7", "-",
            "@", "!", "+", ":", "%", "$",
        ])
        .prop_map(str::to_string),
        1 => prop::sample::select(vec!["é", "😀", "\u{feff}", "\u{a0}", "\u{c}", "\u{b}", "\u{2028}", "ß", "中"])
            .prop_map(str::to_string),
        1 => "[a-zA-Z\\\\]{1,40}",
        1 => (prop::sample::select(vec!["x", "\\", " ", "é", "\n", "\\\n"]), 1usize..300)
            .prop_map(|(s, n)| s.repeat(n)),
    ]
}

/// Whole lines that look like a unit, joined with any of the line endings systemd knows.
fn unit_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[Unit]".to_string()),
        Just("[Service]".to_string()),
        Just("[Install]".to_string()),
        "\\[[A-Za-z\\]\\[ \\\\é]{0,10}\\]?",
        "[A-Za-z]{1,12} ?= ?[ -~é😀]{0,40}",
        "Exec(Start|StartPre|Stop)=[-@:+!]{0,3}[ -~é😀\\\\]{0,60}",
        "ExecStart=/bin/sh -c \"[a-z \\\\'\";]{0,30}\"?",
        "[ \t]*[#;][ -~]{0,20}",
        "[ -~é]{0,30}\\\\",
        "[ -~]{0,20}\\\\\\\\",
        Just("\\".to_string()),
        Just("=".to_string()),
        Just(".include /x".to_string()),
        Just(String::new()),
        "[ \t\u{a0}\u{c}]{0,4}",
    ]
}

fn unit_text() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        prop::collection::vec(
            (unit_line(), prop::sample::select(vec!["\n", "\n", "\n", "\r\n", "\r", ""])),
            0..30,
        ),
    )
        .prop_map(|(bom, lines)| {
            let mut s = if bom { "\u{feff}".to_string() } else { String::new() };
            for (line, end) in lines {
                s.push_str(&line);
                s.push_str(end);
            }
            s
        })
}

proptest! {
    // No regression files: this suite must leave the source tree alone.
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn any_string(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn unit_like_characters(parts in prop::collection::vec(unit_char(), 0..120)) {
        check(&parts.concat())?;
    }

    #[test]
    fn unit_like_lines(text in unit_text()) {
        check(&text)?;
    }

    /// A clean single-line assignment maps back exactly, wherever it sits in the file.
    #[test]
    fn simple_assignments_round_trip(
        key in "[A-Za-z][A-Za-z0-9]{0,15}",
        value in "[!-~é😀]([ -~é😀]{0,30}[!-~é😀])?"
            .prop_filter("a final backslash continues", |v| !v.ends_with('\\')),
        pad in "[ \t]{0,3}",
        before in prop::collection::vec(unit_line(), 0..5),
    ) {
        let mut text = String::from("[Service]\n");
        for line in &before {
            // Lines that would continue into ours or open another section change the expectation.
            if !line.ends_with('\\') && !line.starts_with('[') {
                text.push_str(line);
                text.push('\n');
            }
        }
        let key_start = text.len() + pad.len();
        text.push_str(&format!("{pad}{key}{pad}={pad}{value}{pad}\n"));
        let parsed = check(&text)?;
        let entry = parsed
            .sections
            .iter()
            .flat_map(|s| s.entries.iter())
            .find(|e| e.key_span.start as usize == key_start);
        let entry = entry.ok_or_else(|| TestCaseError::fail(format!("no entry at {key_start} in {text:?}")))?;
        prop_assert_eq!(entry.key.as_str(), key.as_str());
        prop_assert_eq!(entry.value.as_str(), value.as_str());
        prop_assert_eq!(&text[entry.value.span().range()], value.as_str());
    }
}

/// `Requires=` resets a list; a finding about the reset should point where the value would be.
#[test]

fn empty_value_span_points_after_the_equals_sign() {
    for text in ["[Unit]\nRequires=\n", "[Unit]\nRequires =  \n", "[Unit]\nRequires=\\\n\n"] {
        let parsed = unit::parse(text);
        let entry = parsed.entries("Unit", "Requires").next().unwrap();
        assert!(entry.is_reset());
        let after_eq = text.find('=').unwrap() + 1;
        assert!(
            within(entry.value.span(), entry.span) && entry.value.span().start as usize >= after_eq,
            "{text:?}: value span {:?}, entry span {:?}",
            entry.value.span(),
            entry.span
        );
    }
}

#[test]
fn a_two_mebibyte_line_is_one_error() {
    let text = "x".repeat(2 * 1024 * 1024);
    let parsed = check(&text).unwrap();
    assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors.iter().map(|e| &e.message).collect::<Vec<_>>());
    assert_eq!(parsed.errors[0].span, Span::new(0, text.len()));
    assert!(parsed.errors[0].message.contains("longer than"));

    // The same as a setting, followed by a good one that must survive.
    let text = format!("[Unit]\nA={}\nB=c\n", "é".repeat(MAX_LINE_BYTES));
    let parsed = check(&text).unwrap();
    assert_eq!(parsed.errors.len(), 1);
    let b: Vec<_> = parsed.entries("Unit", "B").collect();
    assert_eq!(b.len(), 1);
    assert_eq!(&text[b[0].value.span().range()], "c");
    assert!(parsed.entries("Unit", "A").next().is_none());
}

#[test]
fn a_hundred_thousand_lines() {
    let mut text = String::from("[Unit]\n");
    for _ in 0..100_000 {
        text.push_str("A=b\n");
    }
    let parsed = check(&text).unwrap();
    assert!(parsed.errors.is_empty());
    let entries: Vec<_> = parsed.entries("Unit", "A").collect();
    assert_eq!(entries.len(), 100_000);
    let last = entries.last().unwrap();
    assert_eq!(last.value.span(), Span::new(text.len() - 2, text.len() - 1));
    assert_eq!(last.key_span, Span::new(text.len() - 4, text.len() - 3));
}

#[test]
fn ten_thousand_continuation_lines() {
    let mut text = String::from("[Service]\nExecStart=/bin/echo \\\n");
    for i in 0..10_000 {
        text.push_str(&format!("  w{i} \\\n"));
        if i % 1000 == 0 {
            text.push_str("# a comment does not end the line \\\n");
        }
    }
    text.push_str("  last\nB=c\n");
    let parsed = check(&text).unwrap();
    assert!(parsed.errors.is_empty());
    let entry = parsed.entries("Service", "ExecStart").next().unwrap();
    let words = entry.value.words();
    assert_eq!(words.len(), 10_002);
    assert_eq!(words[0].0, "/bin/echo");
    assert_eq!(words[5000].0, "w4999");
    assert_eq!(&text[words[5000].1.range()], "w4999");
    assert_eq!(&text[words.last().unwrap().1.range()], "last");
    let exec = parse_exec(&entry.value);
    assert!(exec.errors.is_empty());
    assert_eq!(exec.commands.len(), 1);
    assert_eq!(exec.commands[0].argv.len(), 10_002);
    assert_eq!(&text[exec.commands[0].argv[10_001].span().range()], "last");
    assert!(parsed.entries("Service", "B").next().is_some());
}

#[test]
fn random_bytes_decoded_lossily() {
    // xorshift64*: deterministic, no dependency.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    for round in 0..64 {
        let len = 1 + (next() % 16_384) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let r = next();
                // Half the bytes from the unit grammar, half anything.
                if r % 2 == 0 {
                    b"[]=\\\n#; \"'\r\tAx"[(r >> 8) as usize % 14]
                } else {
                    (r >> 16) as u8
                }
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        check(&text).unwrap_or_else(|e| panic!("round {round}: {e}"));
    }
}
