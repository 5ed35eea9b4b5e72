use serde_json::json;

use super::*;

fn read(text: &str) -> Stream {
    parse(text, &Limits::default())
}

fn root(stream: &Stream) -> &Node {
    stream.docs.first().and_then(|d| d.root.as_ref()).expect("a document with content")
}

fn at(text: &str, span: Span) -> &str {
    &text[span.range()]
}

fn kinds(stream: &Stream) -> Vec<ErrorKind> {
    stream.errors.iter().map(|e| e.kind).collect()
}

/// Every node of the tree, keys included.
fn nodes(node: &Node) -> Vec<&Node> {
    let mut out = Vec::new();
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        out.push(n);
        match &n.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => todo.extend(items),
            Value::Map(pairs) => todo.extend(pairs.iter().flat_map(|p| [&p.key, &p.value])),
        }
    }
    out
}

fn depth(node: &Node) -> usize {
    let mut deepest = 0;
    let mut todo = vec![(node, 0)];
    while let Some((n, d)) = todo.pop() {
        deepest = deepest.max(d);
        match &n.value {
            Value::Scalar(_) => {}
            Value::Seq(items) => todo.extend(items.iter().map(|i| (i, d + 1))),
            Value::Map(pairs) => todo.extend(pairs.iter().flat_map(|p| [(&p.key, d + 1), (&p.value, d + 1)])),
        }
    }
    deepest
}

mod scalars {
    use super::*;

    #[test]
    fn raw_is_the_token_as_written_and_text_the_value() {
        let text = "version: 3.10\nquoted: \"3.10\"\nsingle: 'it''s'\nescaped: \"a\\tb\"\n";
        let s = read(text);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        let r = root(&s);
        let cases = [
            ("version", "3.10", "3.10", Style::Plain),
            ("quoted", "3.10", "\"3.10\"", Style::DoubleQuoted),
            ("single", "it's", "'it''s'", Style::SingleQuoted),
            ("escaped", "a\tb", "\"a\\tb\"", Style::DoubleQuoted),
        ];
        for (key, value, raw, style) in cases {
            let node = r.get(key).unwrap();
            let scalar = node.as_scalar().unwrap();
            assert_eq!((scalar.text.as_str(), scalar.raw.as_str(), scalar.style), (value, raw, style));
            assert_eq!(at(text, node.span), raw, "{key}");
            let key_node = &r.pair(key).unwrap().key;
            assert_eq!(at(text, key_node.span), key);
        }
    }

    #[test]
    fn block_scalars_span_from_header_to_last_content() {
        let text = "lit: |\n  one\n  two\n\nfold: >-\n  a\n  b\nend: x\n";
        let s = read(text);
        let r = root(&s);
        let lit = r.get("lit").unwrap();
        assert_eq!(lit.as_scalar().unwrap().style, Style::Literal);
        assert_eq!(lit.as_str(), Some("one\ntwo\n"));
        assert_eq!(at(text, lit.span), "|\n  one\n  two");
        assert_eq!(lit.as_scalar().unwrap().raw, "|\n  one\n  two");
        let fold = r.get("fold").unwrap();
        assert_eq!(fold.as_scalar().unwrap().style, Style::Folded);
        assert_eq!(fold.as_str(), Some("a b"));
        assert_eq!(at(text, fold.span), ">-\n  a\n  b");
    }

    #[test]
    fn multiline_plain_scalar_raw_keeps_the_line_break() {
        let text = "k: one\n  two\n";
        let s = read(text);
        let v = root(&s).get("k").unwrap();
        assert_eq!(v.as_str(), Some("one two"));
        assert_eq!(v.as_scalar().unwrap().raw, "one\n  two");
        assert_eq!(at(text, v.span), "one\n  two");
    }

    #[test]
    fn empty_value_is_null_with_an_empty_span() {
        let text = "a:\nb: ~\n";
        let s = read(text);
        let a = root(&s).get("a").unwrap();
        assert!(a.is_null());
        assert_eq!(a.as_scalar().unwrap().raw, "");
        assert!(a.span.is_empty());
        assert!(root(&s).get("b").unwrap().is_null());
    }

    #[test]
    fn tags_are_resolved_and_custom_ones_kept() {
        let text = "a: !reset null\nb: !!str 3\nc: ! 4\nd: !!int \"5\"\n";
        let s = read(text);
        let r = root(&s);
        assert_eq!(r.get("a").unwrap().tag.as_deref(), Some("!reset"));
        assert_eq!(r.get("b").unwrap().tag.as_deref(), Some("tag:yaml.org,2002:str"));
        assert_eq!(r.get("c").unwrap().tag.as_deref(), Some("!"));
        assert_eq!(r.get("d").unwrap().tag.as_deref(), Some("tag:yaml.org,2002:int"));
        // The tag is a property, not part of the node's token.
        assert_eq!(at(text, r.get("b").unwrap().span), "3");
        assert_eq!(r.to_json(), json!({"a": null, "b": "3", "c": "4", "d": "5"}));
    }
}

mod collections {
    use super::*;

    #[test]
    fn flow_collections_span_their_brackets() {
        let text = "a: [1, {b: 2}]\n";
        let s = read(text);
        let a = root(&s).get("a").unwrap();
        assert_eq!(at(text, a.span), "[1, {b: 2}]");
        let inner = &a.as_seq().unwrap()[1];
        assert_eq!(at(text, inner.span), "{b: 2}");
        assert_eq!(inner.get("b").and_then(Node::as_str), Some("2"));
    }

    #[test]
    fn block_collections_span_first_to_last_entry() {
        let text = "list:\n  - one\n  - two\nmap:\n  x: 1\n  y: 2\n# trailing\n";
        let s = read(text);
        let r = root(&s);
        assert_eq!(at(text, r.get("list").unwrap().span), "- one\n  - two");
        assert_eq!(at(text, r.get("map").unwrap().span), "x: 1\n  y: 2");
        assert_eq!(at(text, r.span), "list:\n  - one\n  - two\nmap:\n  x: 1\n  y: 2");
    }

    #[test]
    fn a_sequence_not_indented_under_its_key_still_spans_its_dashes() {
        let text = "k:\n- a\n- b\n";
        let s = read(text);
        assert_eq!(at(text, root(&s).get("k").unwrap().span), "- a\n- b");
        let text = "- - a\n  - b\n";
        let s = read(text);
        assert_eq!(at(text, root(&s).span), "- - a\n  - b");
        assert_eq!(at(text, root(&s).as_seq().unwrap()[0].span), "- a\n  - b");
    }

    #[test]
    fn collection_keys_are_read() {
        let text = "? [a, b]\n: pair\n{x: 1}: m\n";
        let s = read(text);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        let pairs = root(&s).as_map().unwrap();
        assert_eq!(at(text, pairs[0].key.span), "[a, b]");
        assert_eq!(root(&s).to_json(), json!({"[\"a\",\"b\"]": "pair", "{\"x\":1}": "m"}));
    }

    #[test]
    fn get_and_pair_find_the_first_entry_by_key_text() {
        let s = read("a: 1\n\"b\": 2\n");
        let r = root(&s);
        assert_eq!(r.get("b").and_then(Node::as_str), Some("2"));
        assert!(r.get("c").is_none());
        assert_eq!(r.pair("a").map(|p| p.merged_from), Some(None));
        assert!(r.get("a").unwrap().get("x").is_none(), "a scalar has no entries");
    }
}

mod comments {
    use super::*;

    #[test]
    fn comments_are_kept_sorted_with_their_hash() {
        let text = "# head\na: 1 # vic-lint: ignore[x]\n---\n#tail\n";
        let s = read(text);
        let got: Vec<(&str, &str)> = s.comments.iter().map(|c| (c.text.as_str(), at(text, c.span))).collect();
        assert_eq!(
            got,
            [(" head", "# head"), (" vic-lint: ignore[x]", "# vic-lint: ignore[x]"), ("tail", "#tail")]
        );
    }

    #[test]
    fn a_hash_inside_a_value_is_not_a_comment() {
        let s = read("a: \"# no\"\nb: x#y\n");
        assert!(s.comments.is_empty());
        assert_eq!(root(&s).get("b").and_then(Node::as_str), Some("x#y"));
    }

    #[test]
    fn long_comment_blocks_are_not_an_error() {
        // The parser buffers comments between a key and an indented value.
        let mut text = String::from("a:\n");
        for i in 0..300 {
            text.push_str(&format!("# line {i}\n"));
        }
        text.push_str("  - 2\n");
        let s = read(&text);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(s.comments.len(), 300);
        assert_eq!(root(&s).to_json(), json!({"a": [2]}));
    }
}

mod aliases {
    use super::*;

    #[test]
    fn an_alias_copies_the_anchored_node_and_says_where_it_came_from() {
        let text = "base: &b {x: 1}\nuse: *b\n";
        let s = read(text);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        let r = root(&s);
        let base = r.get("base").unwrap();
        assert_eq!(base.anchor.as_deref(), Some("b"));
        assert_eq!(base.via_alias, None);
        let used = r.get("use").unwrap();
        assert_eq!(at(text, used.span), "{x: 1}", "the definition's span");
        assert_eq!(at(text, used.via_alias.unwrap()), "*b");
        assert_eq!(at(text, used.site()), "*b");
        let x = used.get("x").unwrap();
        assert_eq!(at(text, x.span), "1");
        assert_eq!(at(text, x.site()), "*b", "everything inside the copy came through the alias");
        assert_eq!(r.to_json(), json!({"base": {"x": 1}, "use": {"x": 1}}));
    }

    #[test]
    fn scalar_anchors_and_redefinitions() {
        let text = "a: &v one\nb: *v\nc: &v two\nd: *v\n";
        let s = read(text);
        assert_eq!(root(&s).to_json(), json!({"a": "one", "b": "one", "c": "two", "d": "two"}));
        assert_eq!(root(&s).get("a").unwrap().anchor.as_deref(), Some("v"));
    }

    #[test]
    fn an_unknown_anchor_is_an_error_and_a_null() {
        let text = "a: *nope\nb: 2\n";
        let s = read(text);
        assert_eq!(kinds(&s), [ErrorKind::UnknownAnchor]);
        assert_eq!(at(text, s.errors[0].span), "*nope");
        let a = root(&s).get("a").unwrap();
        assert!(a.is_null());
        assert_eq!(at(text, a.span), "*nope");
        assert_eq!(root(&s).get("b").and_then(Node::as_str), Some("2"));
    }

    #[test]
    fn anchors_do_not_cross_documents() {
        let s = read("a: &x 1\n---\nb: *x\n");
        assert_eq!(kinds(&s), [ErrorKind::UnknownAnchor]);
    }

    #[test]
    fn an_alias_inside_its_own_anchor_is_refused() {
        let text = "a: &x [1, *x]\n";
        let s = read(text);
        assert_eq!(kinds(&s), [ErrorKind::UnknownAnchor]);
        assert_eq!(at(text, s.errors[0].span), "*x");
        assert_eq!(root(&s).to_json(), json!({"a": [1, null]}));
    }

    #[test]
    fn expansion_past_the_budget_is_refused_once_then_silently() {
        let text = "a: &a [1, 2, 3]\nb: *a\nc: *a\nd: &s x\ne: *s\n";
        let limits = Limits { max_nodes: 12, ..Limits::default() };
        let s = parse(text, &limits);
        // Counted: 10 nodes read (keys included), 4 for the anchor's copy; `*a` needs 4 more.
        assert_eq!(kinds(&s), [ErrorKind::AliasBudget]);
        assert_eq!(at(text, s.errors[0].span), "*a");
        assert_eq!(s.errors[0].span.start as usize, text.find("*a").unwrap());
        let r = root(&s);
        assert!(r.get("b").unwrap().is_null());
        assert!(r.get("c").unwrap().is_null(), "later aliases are refused too");
        assert!(r.get("e").unwrap().is_null(), "even small ones");
        assert_eq!(r.get("d").and_then(Node::as_str), Some("x"));
    }

    #[test]
    fn expansion_within_the_budget_is_allowed() {
        let text = "a: &a [1, 2, 3]\nb: *a\n";
        let s = parse(text, &Limits { max_nodes: 100, ..Limits::default() });
        assert!(s.errors.is_empty());
        assert_eq!(root(&s).to_json(), json!({"a": [1, 2, 3], "b": [1, 2, 3]}));
    }

    #[test]
    fn an_alias_that_would_nest_too_deep_is_refused() {
        let text = "a: &a [[1]]\nb: [[*a]]\n";
        let s = parse(text, &Limits { max_depth: 4, ..Limits::default() });
        assert_eq!(kinds(&s), [ErrorKind::TooDeep]);
        assert_eq!(at(text, s.errors[0].span), "*a");
        assert_eq!(root(&s).to_json(), json!({"a": [[1]], "b": [[null]]}));
    }
}

mod merges {
    use super::*;

    const TEXT: &str = "\
base: &base
  image: alpine
  restart: always
extra: &extra
  restart: never
  user: root
svc:
  <<: [*base, *extra]
  image: debian
";

    #[test]
    fn explicit_keys_win_then_earlier_sources() {
        let s = read(TEXT);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        let svc = root(&s).get("svc").unwrap();
        assert_eq!(svc.to_json(), json!({"image": "debian", "restart": "always", "user": "root"}));
        let keys: Vec<&str> = svc.as_map().unwrap().iter().filter_map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["restart", "user", "image"], "merged pairs stand where the `<<` was");
    }

    #[test]
    fn merged_pairs_keep_their_definition_and_name_the_merge_key() {
        let s = read(TEXT);
        let svc = root(&s).get("svc").unwrap();
        let restart = svc.pair("restart").unwrap();
        assert_eq!(at(TEXT, restart.merged_from.unwrap()), "<<");
        assert_eq!(at(TEXT, restart.key.span), "restart");
        assert_eq!(restart.key.span.start as usize, TEXT.find("restart").unwrap());
        assert_eq!(at(TEXT, restart.value.site()), "*base");
        let image = svc.pair("image").unwrap();
        assert_eq!(image.merged_from, None);
        assert_eq!(at(TEXT, image.value.span), "debian");
    }

    #[test]
    fn a_single_mapping_or_an_inline_one_merges() {
        let s = read("a: &a {x: 1}\nb: {<<: *a, y: 2}\nc:\n  <<: {z: 3}\n");
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        assert_eq!(root(&s).get("b").unwrap().to_json(), json!({"x": 1, "y": 2}));
        assert_eq!(root(&s).get("c").unwrap().to_json(), json!({"z": 3}));
    }

    #[test]
    fn a_merge_of_a_scalar_or_a_list_item_scalar_is_invalid() {
        let text = "a: &a {x: 1}\nb:\n  <<: text\nc:\n  <<: [*a, 5]\n";
        let s = read(text);
        assert_eq!(kinds(&s), [ErrorKind::InvalidMerge, ErrorKind::InvalidMerge]);
        assert_eq!(at(text, s.errors[0].span), "text");
        assert_eq!(at(text, s.errors[1].span), "5");
        assert_eq!(root(&s).get("b").unwrap().to_json(), json!({}));
        assert_eq!(root(&s).get("c").unwrap().to_json(), json!({"x": 1}), "the valid sources still merge");
    }

    #[test]
    fn a_merge_of_a_refused_alias_adds_no_second_error() {
        let s = read("b:\n  <<: *missing\n  k: 1\n");
        assert_eq!(kinds(&s), [ErrorKind::UnknownAnchor]);
        assert_eq!(root(&s).get("b").unwrap().to_json(), json!({"k": 1}));
    }

    #[test]
    fn a_quoted_merge_key_is_an_ordinary_key() {
        let s = read("a: {x: 1}\nb:\n  \"<<\": 1\n");
        assert!(s.errors.is_empty());
        assert_eq!(root(&s).get("b").unwrap().to_json(), json!({"<<": 1}));
    }

    #[test]
    fn merged_keys_are_not_duplicates_but_two_merge_keys_are() {
        let text = "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: *a\n  x: 3\n  <<: *b\n";
        let s = read(text);
        assert_eq!(kinds(&s), [ErrorKind::DuplicateKey]);
        let dup = &s.errors[0];
        assert_eq!(dup.span.start as usize, text.rfind("<<").unwrap());
        assert_eq!(dup.other.map(|o| o.start as usize), text.find("<<"));
        assert_eq!(root(&s).get("c").unwrap().to_json(), json!({"x": 3}));
    }
}

mod duplicates {
    use super::*;

    #[test]
    fn the_second_key_is_reported_and_the_first_kept() {
        let text = "image: a\nports: []\nimage: b\n";
        let s = read(text);
        assert_eq!(kinds(&s), [ErrorKind::DuplicateKey]);
        let e = &s.errors[0];
        assert_eq!(e.span.start as usize, text.rfind("image").unwrap());
        assert_eq!(at(text, e.span), "image");
        assert_eq!(e.other, Some(Span::new(0, 5)));
        assert!(e.message.contains("image"), "{}", e.message);
        assert_eq!(root(&s).to_json(), json!({"image": "a", "ports": []}));
        assert_eq!(root(&s).as_map().unwrap().len(), 2);
    }

    #[test]
    fn duplicates_in_flow_and_nested_mappings() {
        let s = read("a: {x: 1, x: 2}\nb:\n  c: 1\n  c: 2\n");
        assert_eq!(kinds(&s), [ErrorKind::DuplicateKey, ErrorKind::DuplicateKey]);
    }

    #[test]
    fn keys_are_compared_by_text() {
        let s = read("1: a\n\"1\": b\nx: 1\ny: 1\n");
        assert_eq!(kinds(&s), [ErrorKind::DuplicateKey]);
    }
}

mod depth {
    use super::*;

    #[test]
    fn too_deep_is_an_error_and_a_null_and_reading_goes_on() {
        let text = "a: [[[[[1]]]]]\nb: 2\n";
        let s = parse(text, &Limits { max_depth: 3, ..Limits::default() });
        assert_eq!(kinds(&s), [ErrorKind::TooDeep]);
        assert_eq!(s.errors[0].span.start, 5, "at the first collection past the limit");
        assert_eq!(at(text, s.errors[0].span), "[");
        assert_eq!(root(&s).to_json(), json!({"a": [[null]], "b": 2}));
        let null = &root(&s).get("a").unwrap().as_seq().unwrap()[0].as_seq().unwrap()[0];
        assert_eq!(at(text, null.span), "[[[1]]]");
    }

    #[test]
    fn block_nesting_counts_too() {
        let text = "a:\n  b:\n    c:\n      d: 1\ne: 2\n";
        let s = parse(text, &Limits { max_depth: 3, ..Limits::default() });
        assert_eq!(kinds(&s), [ErrorKind::TooDeep]);
        assert_eq!(root(&s).to_json(), json!({"a": {"b": {"c": null}}, "e": 2}));
    }

    #[test]
    fn anchors_inside_a_refused_collection_are_not_reported_again() {
        let s = parse("a: [[&x [1]]]\nb: *x\n", &Limits { max_depth: 2, ..Limits::default() });
        assert_eq!(kinds(&s), [ErrorKind::TooDeep]);
        assert!(root(&s).get("b").unwrap().is_null());
    }

    #[test]
    fn the_ceiling_caps_any_limit_and_the_tree_survives_a_small_stack() {
        let n = MAX_DEPTH_CEILING + 200;
        let text = format!("{}{}", "[".repeat(n), "]".repeat(n));
        let s = parse(&text, &Limits { max_depth: usize::MAX, ..Limits::default() });
        assert_eq!(kinds(&s), [ErrorKind::TooDeep]);
        assert_eq!(s.errors[0].span.start as usize, MAX_DEPTH_CEILING);
        let handle = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let r = root(&s);
                let json = r.to_json();
                let copy = r.clone();
                assert_eq!(depth(&copy), MAX_DEPTH_CEILING);
                assert!(copy == *r);
                drop(copy);
                json.to_string().len()
            })
            .unwrap();
        // `[` × 1024, the refused one as `null`, `]` × 1024.
        assert_eq!(handle.join().unwrap(), 2 * MAX_DEPTH_CEILING + 4);
    }
}

mod tabs {
    use super::*;

    #[test]
    fn tab_indentation_the_parser_rejects_is_a_tab_error_at_the_tab() {
        let text = "a:\n\tb: 1\n";
        let s = read(text);
        assert_eq!(kinds(&s), [ErrorKind::Tab]);
        let e = &s.errors[0];
        assert_eq!(e.span, Span::new(3, 4));
        assert!(e.message.contains("tabs are not allowed for indentation"), "{}", e.message);
        assert!(e.help.is_some());
        assert_eq!(root(&s).to_json(), json!({"a": null}), "what was read is kept");
    }

    #[test]
    fn tab_continuing_a_plain_scalar_points_at_the_tab() {
        let text = "a:\n  b: 1\n\tc: 2\n";
        let s = read(text);
        assert_eq!(kinds(&s), [ErrorKind::Tab]);
        assert_eq!(s.errors[0].span.start as usize, text.find('\t').unwrap());
    }

    #[test]
    fn tab_indentation_the_parser_accepts_is_reported_too() {
        for text in ["\tkey: v\n", "\t- a\n", "x:\n \t y: 1\n"] {
            let s = read(text);
            assert_eq!(kinds(&s), [ErrorKind::Tab], "{text:?}");
            assert_eq!(s.errors[0].span.start as usize, text.find('\t').unwrap(), "{text:?}");
            assert!(root(&s).as_scalar().is_none(), "{text:?} is still read");
        }
    }

    #[test]
    fn each_tab_is_reported_once_where_it_is() {
        for (text, tabs) in [("a:\n \t b: 1\n \t c: 2\n", vec![4, 12]), ("\tk: 1\n\tj: 2\n", vec![0, 6])] {
            let s = read(text);
            assert!(s.errors.iter().all(|e| e.kind == ErrorKind::Tab), "{text:?}");
            let starts: Vec<u32> = s.errors.iter().map(|e| e.span.start).collect();
            assert_eq!(starts, tabs, "{text:?}");
        }
    }

    #[test]
    fn tabs_that_separate_are_fine() {
        for text in ["a:\t1\n", "a: [1,\t2]\n", "a: \"x\ty\"\n", "\t{a: 1}\n", "- a\t# c\n"] {
            let s = read(text);
            assert!(s.errors.is_empty(), "{text:?}: {:?}", s.errors);
        }
    }
}

mod errors {
    use super::*;

    #[test]
    fn a_syntax_error_keeps_what_was_read_and_resumes_at_the_next_document() {
        let text = "a: [1, 2\n---\nb: 1\n";
        let s = read(text);
        assert_eq!(kinds(&s), [ErrorKind::Syntax]);
        let e = &s.errors[0];
        assert_eq!(at(text, e.span), "[", "the parser points at the unclosed bracket");
        assert!(!e.message.is_empty());
        assert_eq!(s.docs.len(), 2);
        let first = root(&s).get("a").unwrap();
        assert_eq!(first.as_seq().unwrap().first().and_then(Node::as_str), Some("1"));
        assert_eq!(s.docs[1].root.as_ref().unwrap().to_json(), json!({"b": 1}));
    }

    #[test]
    fn an_error_between_key_and_value_keeps_the_key() {
        let s = read("a: 1\nb: \"open\n");
        assert_eq!(kinds(&s), [ErrorKind::Syntax]);
        assert_eq!(root(&s).to_json(), json!({"a": 1, "b": null}));
    }

    #[test]
    fn errors_are_sorted() {
        let s = read("a: *x\nb: 1\nb: 2\nc: *y\n");
        let starts: Vec<u32> = s.errors.iter().map(|e| e.span.start).collect();
        assert_eq!(kinds(&s).len(), 3);
        assert!(starts.windows(2).all(|w| w[0] <= w[1]), "{starts:?}");
    }
}

mod documents {
    use super::*;

    #[test]
    fn documents_are_split_at_markers() {
        let text = "a: 1\n---\nb: 2\n...\n---\n--- c\n";
        let s = read(text);
        assert!(s.errors.is_empty(), "{:?}", s.errors);
        let roots: Vec<Option<serde_json::Value>> =
            s.docs.iter().map(|d| d.root.as_ref().map(Node::to_json)).collect();
        assert_eq!(roots, [Some(json!({"a": 1})), Some(json!({"b": 2})), None, Some(json!("c"))]);
        assert_eq!(at(text, s.docs[1].span), "---\nb: 2\n...");
    }

    #[test]
    fn an_empty_stream_has_no_documents() {
        assert!(read("").docs.is_empty());
        let s = read("# only a comment\n");
        assert!(s.docs.is_empty());
        assert_eq!(s.comments.len(), 1);
    }
}

mod to_json {
    use super::*;

    fn value(yaml: &str) -> serde_json::Value {
        let s = read(&format!("v: {yaml}\n"));
        assert!(s.errors.is_empty(), "{yaml}: {:?}", s.errors);
        root(&s).get("v").unwrap().to_json()
    }

    #[test]
    fn plain_scalars_follow_the_core_schema() {
        let cases = [
            ("~", json!(null)),
            ("null", json!(null)),
            ("NULL", json!(null)),
            ("true", json!(true)),
            ("False", json!(false)),
            ("yes", json!("yes")),
            ("on", json!("on")),
            ("42", json!(42)),
            ("-7", json!(-7)),
            ("+3", json!(3)),
            ("0x1F", json!(31)),
            ("0o17", json!(15)),
            ("018", json!(18)),
            ("18446744073709551615", json!(18_446_744_073_709_551_615_u64)),
            ("3.10", json!(3.1)),
            (".5", json!(0.5)),
            ("1.", json!(1.0)),
            ("1e3", json!(1000.0)),
            ("-2.5E-1", json!(-0.25)),
            (".inf", json!(".inf")),
            ("-.Inf", json!("-.Inf")),
            (".nan", json!(".nan")),
            ("1e999", json!("1e999")),
            ("0x", json!("0x")),
            ("1_000", json!("1_000")),
            ("12:30", json!("12:30")),
            ("8080:80", json!("8080:80")),
            ("1.2.3", json!("1.2.3")),
        ];
        for (yaml, want) in cases {
            assert_eq!(value(yaml), want, "{yaml}");
        }
    }

    #[test]
    fn quoted_block_and_string_tagged_scalars_stay_strings() {
        assert_eq!(value("\"42\""), json!("42"));
        assert_eq!(value("'true'"), json!("true"));
        assert_eq!(value("!!str 42"), json!("42"));
        assert_eq!(value("! 42"), json!("42"));
        assert_eq!(value("!custom 42"), json!(42));
        assert_eq!(value("|\n  42"), json!("42\n"));
    }

    #[test]
    fn is_null_follows_the_same_rules() {
        let s = read("a: ~\nb: 'null'\nc: !!str null\nd: Null\ne:\nf: 0\n");
        let r = root(&s);
        let nulls: Vec<bool> =
            ["a", "b", "c", "d", "e", "f"].iter().map(|k| r.get(k).unwrap().is_null()).collect();
        assert_eq!(nulls, [true, false, false, true, true, false]);
        assert!(!r.is_null(), "a mapping is not null");
    }
}

#[test]
fn every_materialised_node_is_within_the_budget_for_a_bomb() {
    let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut prev = 'a';
    for level in 'b'..='j' {
        let refs = vec![format!("*{prev}"); 10].join(", ");
        text.push_str(&format!("{level}: &{level} [{refs}]\n"));
        prev = level;
    }
    let limits = Limits::default();
    let s = parse(&text, &limits);
    assert_eq!(kinds(&s), [ErrorKind::AliasBudget]);
    assert!(nodes(root(&s)).len() <= limits.max_nodes);
}
