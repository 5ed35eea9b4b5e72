#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The YAML reader on input written to hurt: alias bombs, nesting far past any limit, junk,
//! and sheer size. Each must end with a bounded tree and the right errors, not a crash.
//!
//! Nothing here asserts on time; `/usr/bin/time -v cargo test --release --test yaml_hostile`
//! gives the figures.

use vic_lint_syntax::yaml::{self, ErrorKind, Limits, Node, Stream, Style, Value};
use vic_lint_syntax::Span;

fn kinds(stream: &Stream) -> Vec<ErrorKind> {
    stream.errors.iter().map(|e| e.kind).collect()
}

fn root(stream: &Stream) -> &Node {
    stream.docs.first().and_then(|d| d.root.as_ref()).expect("a document with content")
}

/// Nodes in the tree and its collection depth, without recursion.
fn measure(root: &Node) -> (usize, usize) {
    let (mut count, mut deepest) = (0, 0);
    let mut todo = vec![(root, 0)];
    while let Some((node, depth)) = todo.pop() {
        count += 1;
        match &node.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => {
                deepest = deepest.max(depth + 1);
                todo.extend(items.iter().map(|n| (n, depth + 1)));
            }
            Value::Map(pairs) => {
                deepest = deepest.max(depth + 1);
                todo.extend(pairs.iter().flat_map(|p| [(&p.key, depth + 1), (&p.value, depth + 1)]));
            }
        }
    }
    (count, deepest)
}

fn assert_in_bounds(text: &str, stream: &Stream) {
    let ok = |span: Span| {
        span.start <= span.end
            && text.is_char_boundary(span.start as usize)
            && text.is_char_boundary(span.end as usize)
    };
    for e in &stream.errors {
        assert!(ok(e.span) && e.other.is_none_or(ok), "{e:?}");
    }
    assert!(stream.comments.iter().all(|c| ok(c.span)));
    for root in stream.docs.iter().filter_map(|d| d.root.as_ref()) {
        let mut todo = vec![root];
        while let Some(node) = todo.pop() {
            assert!(ok(node.span) && node.via_alias.is_none_or(ok), "{:?}", node.span);
            match &node.value {
                Value::Scalar(_) => {}
                Value::Seq(items) => todo.extend(items),
                Value::Map(pairs) => {
                    for pair in pairs {
                        assert!(pair.merged_from.is_none_or(ok));
                        todo.extend([&pair.key, &pair.value]);
                    }
                }
            }
        }
    }
}

mod bomb {
    use super::*;

    /// `levels` anchored sequences, each aliasing the previous one `fanout` times: the last
    /// would expand to `fanout^levels` scalars.
    fn laughs(levels: usize, fanout: usize, map: bool) -> String {
        let mut text = String::from("l0: &l0 lol\n");
        for level in 1..levels {
            let refs: Vec<String> = (0..fanout)
                .map(|i| if map { format!("k{i}: *l{}", level - 1) } else { format!("*l{}", level - 1) })
                .collect();
            let (open, close) = if map { ('{', '}') } else { ('[', ']') };
            text.push_str(&format!("l{level}: &l{level} {open}{}{close}\n", refs.join(", ")));
        }
        text
    }

    fn assert_refused(text: &str, limits: &Limits) {
        let stream = yaml::parse(text, limits);
        assert_eq!(kinds(&stream), [ErrorKind::AliasBudget]);
        let at = stream.errors[0].span;
        assert!(text[at.range()].starts_with("*l"), "the error is at an alias");
        let (count, _) = measure(root(&stream));
        assert!(count <= limits.max_nodes, "{count} nodes for a budget of {}", limits.max_nodes);
        assert_in_bounds(text, &stream);
    }

    #[test]
    fn billion_laughs_bomb_is_refused_within_the_budget() {
        assert_refused(&laughs(10, 10, false), &Limits::default());
    }

    #[test]
    fn billion_laughs_bomb_of_mappings_is_refused() {
        assert_refused(&laughs(10, 10, true), &Limits::default());
    }

    #[test]
    fn bomb_under_a_small_budget() {
        assert_refused(&laughs(10, 10, false), &Limits { max_nodes: 1_000, ..Limits::default() });
    }

    #[test]
    fn bomb_through_merge_keys_is_refused() {
        let mut text = String::from("m0: &m0 {a: 1, b: 2}\n");
        for level in 1..12 {
            let refs = vec![format!("*m{}", level - 1); 10].join(", ");
            text.push_str(&format!("m{level}: &m{level} {{<<: [{refs}], own{level}: [{refs}]}}\n"));
        }
        let limits = Limits::default();
        let stream = yaml::parse(&text, &limits);
        assert_eq!(kinds(&stream), [ErrorKind::AliasBudget]);
        assert!(measure(root(&stream)).0 <= limits.max_nodes);
    }

    #[test]
    fn bomb_of_many_aliases_to_one_big_anchor() {
        let items = vec!["x"; 5_000].join(", ");
        let mut text = format!("big: &big [{items}]\nuses:\n");
        for _ in 0..5_000 {
            text.push_str("  - *big\n");
        }
        let limits = Limits::default();
        let stream = yaml::parse(&text, &limits);
        assert_eq!(kinds(&stream), [ErrorKind::AliasBudget]);
        let uses = root(&stream).get("uses").unwrap().as_seq().unwrap();
        assert_eq!(uses.len(), 5_000, "every alias keeps its place");
        let expanded = uses.iter().filter(|n| n.as_seq().is_some()).count();
        assert!(expanded > 0 && expanded < 5_000, "{expanded} of the aliases expanded");
        assert!(uses[expanded..].iter().all(Node::is_null), "the rest are nulls");
        assert!(measure(root(&stream)).0 <= limits.max_nodes);
    }
}

mod deep {
    use super::*;

    const N: usize = 100_000;

    fn assert_too_deep(text: &str) -> Stream {
        let limits = Limits::default();
        let stream = yaml::parse(text, &limits);
        assert_eq!(stream.errors.first().map(|e| e.kind), Some(ErrorKind::TooDeep), "{:?}", stream.errors);
        assert!(!stream.errors.iter().any(|e| e.kind == ErrorKind::Syntax), "{:?}", stream.errors);
        let (_, depth) = measure(root(&stream));
        assert_eq!(depth, limits.max_depth);
        assert_in_bounds(text, &stream);
        let _ = root(&stream).to_json();
        drop(root(&stream).clone());
        stream
    }

    #[test]
    fn deep_flow_sequences() {
        let text = format!("{}{}", "[".repeat(N), "]".repeat(N));
        let stream = assert_too_deep(&text);
        assert_eq!(stream.errors.len(), 1);
        assert_eq!(stream.errors[0].span.start as usize, Limits::default().max_depth);
    }

    #[test]
    fn deep_unclosed_flow_sequences() {
        assert_too_deep(&"[".repeat(N));
    }

    #[test]
    fn deep_flow_mappings() {
        assert_too_deep(&format!("{}x{}", "{a: ".repeat(N), "}".repeat(N)));
    }

    #[test]
    fn deep_block_sequences() {
        assert_too_deep(&format!("{}x\n", "- ".repeat(N)));
    }

    #[test]
    fn deep_mixed_nesting() {
        assert_too_deep(&format!("{}{}x\n", "- ".repeat(N / 2), "[{a: ".repeat(N / 4)));
    }

    #[test]
    fn deep_block_mappings() {
        // Indentation grows quadratically with depth; 2,000 levels is already 4 MB.
        let mut text = String::new();
        for level in 0..2_000 {
            text.push_str(&" ".repeat(level));
            text.push_str("a:\n");
        }
        assert_too_deep(&text);
    }

    #[test]
    fn the_next_document_is_still_read() {
        let text = format!("{}\n---\nafter: 1\n", "[".repeat(N));
        let stream = yaml::parse(&text, &Limits::default());
        let last = stream.docs.last().and_then(|d| d.root.as_ref()).unwrap();
        assert_eq!(last.get("after").and_then(Node::as_str), Some("1"));
    }
}

#[test]
fn duplicate_keys_at_scale() {
    let mut text = String::new();
    for i in 0..10_000 {
        text.push_str(&format!("k{i}: first\n"));
    }
    for i in 0..10_000 {
        text.push_str(&format!("k{i}: second\n"));
    }
    let stream = yaml::parse(&text, &Limits::default());
    assert_eq!(stream.errors.len(), 10_000);
    assert!(stream.errors.iter().all(|e| e.kind == ErrorKind::DuplicateKey && e.other.is_some()));
    let map = root(&stream).as_map().unwrap();
    assert_eq!(map.len(), 10_000);
    assert!(map.iter().all(|p| p.value.as_str() == Some("first")));
}

#[test]
fn tabs_are_reported_as_tabs() {
    for text in ["a:\n\tb: 1\n", "\tkey: v\n", "- a\n\t- b\n", "a: |\n\tx\n", "x:\n  y: 1\n\t\tz: 2\n"] {
        let stream = yaml::parse(text, &Limits::default());
        assert_eq!(kinds(&stream), [ErrorKind::Tab], "{text:?}");
        let e = &stream.errors[0];
        assert_eq!(&text[e.span.range()], "\t", "{text:?}");
        assert!(e.message.contains("tab"));
    }
}

/// A deterministic generator: the junk is the same on every run, so a failure reproduces.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn binary_junk() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    let yamlish = b"-:[]{},&*!|>'\"#%@`? \t\n\r\\<<ab01";
    for round in 0..400 {
        let len = (rng.next() % 4096) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                let r = rng.next();
                // Half the rounds lean on YAML's indicators, which reach deeper into the parser.
                if round % 2 == 0 {
                    yamlish[(r % yamlish.len() as u64) as usize]
                } else {
                    r as u8
                }
            })
            .collect();
        let text = String::from_utf8_lossy(&bytes);
        let stream = yaml::parse(&text, &Limits::default());
        assert_in_bounds(&text, &stream);
        for root in stream.docs.iter().filter_map(|d| d.root.as_ref()) {
            let _ = root.to_json();
        }
    }
}

/// A Compose-like file of `target` bytes: many services, anchors and merges near the top,
/// comments, quoted and block scalars.
fn large_compose(target: usize) -> (String, usize) {
    let mut text = String::from(
        "# generated\nx-common: &common\n  restart: unless-stopped\n  labels:\n    team: core\nservices:\n",
    );
    let mut n = 0;
    while text.len() < target {
        let merge = if n < 100 { "    <<: *common\n" } else { "" };
        text.push_str(&format!(
            "  svc{n}:\n{merge}    image: \"registry.example.com/app{n}:1.{}\"\n    command: [\"run\", \"--port\", \"{}\"]\n    environment:\n      KEY_{n}: 'value {n}'\n      DEBUG: false\n    ports:\n      - \"{}:80\"\n    # comment {n}\n    healthcheck:\n      test: |\n        curl -f http://localhost/\n      interval: 30s\n",
            n % 10,
            n % 65_536,
            n % 60_000
        ));
        n += 1;
    }
    (text, n)
}

#[test]
fn large_file() {
    // 50 MB in release; debug builds parse about ten times slower, so they read 10 MB.
    let target = if cfg!(debug_assertions) { 10_000_000 } else { 50_000_000 };
    let (text, services) = large_compose(target);
    let stream = yaml::parse(&text, &Limits::default());
    assert!(stream.errors.is_empty(), "{:?}", stream.errors.first());
    assert_eq!(stream.docs.len(), 1);
    assert_eq!(stream.comments.len(), services + 1);
    let svcs = root(&stream).get("services").unwrap().as_map().unwrap();
    assert_eq!(svcs.len(), services);
    let first = &svcs[0].value;
    assert_eq!(first.get("restart").and_then(Node::as_str), Some("unless-stopped"), "merged");
    let last = &svcs[services - 1].value;
    let image = last.get("image").unwrap();
    assert_eq!(image.as_scalar().map(|s| s.style), Some(Style::DoubleQuoted));
    assert_eq!(&text[image.span.range()], image.as_scalar().unwrap().raw);
    assert!(image.as_str().unwrap().starts_with(&format!("registry.example.com/app{}:", services - 1)));
}
