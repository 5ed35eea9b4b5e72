//! systemd `Exec*=` command lines, split the way systemd splits them (systemd.service(5),
//! "COMMAND LINES"): prefixes, quotes, C escapes and `;` between commands.
//!
//! Specifiers (`%n`) and variables (`$VAR`, `${VAR}`) stay verbatim in the words: resolving them
//! needs the unit's context, which the rules have and this parser does not.

use crate::span::Span;
use crate::text::SpannedText;
use crate::unit::SyntaxError;

/// One command of an `Exec*=` line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecCommand {
    /// The prefix characters as written (`-`, `@`, `:`, `+`, `!`, `!!`, in any accepted order).
    pub prefixes: String,
    /// Where the prefixes are; empty, at the program's start, when there are none.
    pub prefix_span: Span,
    /// The words without prefixes: the program path first. With `@`, `argv[1]` is the argv0
    /// systemd passes instead of the path.
    pub argv: Vec<SpannedText>,
    /// Each argv word as written, quotes included (`argv[i].span()` covers only the unquoted
    /// text, from its first to its last character).
    pub word_spans: Vec<Span>,
    /// From the first prefix to the end of the last word as written.
    pub span: Span,
}

impl ExecCommand {
    /// `-`: a failing exit status is ignored.
    pub fn ignore_failure(&self) -> bool {
        self.prefixes.contains('-')
    }

    /// `@`: the second word is argv0, not an argument.
    pub fn separate_argv0(&self) -> bool {
        self.prefixes.contains('@')
    }

    pub fn program(&self) -> Option<&SpannedText> {
        self.argv.first()
    }

    /// The arguments after the program (and after argv0 with `@`).
    pub fn args(&self) -> &[SpannedText] {
        let skip = if self.separate_argv0() { 2 } else { 1 };
        self.argv.get(skip..).unwrap_or(&[])
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecLine {
    pub commands: Vec<ExecCommand>,
    /// Anything that makes systemd ignore the whole setting. The commands are still filled in
    /// as well as the line allows, so that other checks can look at them.
    pub errors: Vec<SyntaxError>,
}

/// Splits an `Exec*=` value into commands.
///
/// Each word maps back to the file: unquoted and quoted text byte for byte, an escape as a whole;
/// quotes are not part of the text, so a word's span runs from its first to its last character
/// (for `"/a b":/c`, from `/` to `c`). [`ExecCommand::word_spans`] has the words as written. An
/// empty word (`""`) has no bytes to map: its `span()` is empty and meaningless, use its
/// `word_spans` entry.
pub fn parse_exec(value: &SpannedText) -> ExecLine {
    let mut line = ExecLine::default();
    let mut current: Vec<RawWord> = Vec::new();
    for token in lex(value, &mut line.errors) {
        match token {
            Token::Separator => {
                finish(value, std::mem::take(&mut current), &mut line);
            }
            Token::Word(w) => current.push(w),
        }
    }
    finish(value, current, &mut line);
    line
}

/// A word with quotes removed, and where it was written.
struct RawWord {
    text: SpannedText,
    /// The word as written, in text offsets of the value.
    raw: std::ops::Range<usize>,
}

enum Token {
    Word(RawWord),
    Separator,
}

const WHITESPACE: &[char] = &[' ', '\t', '\n', '\r'];

fn lex(value: &SpannedText, errors: &mut Vec<SyntaxError>) -> Vec<Token> {
    let text = value.as_str();
    let mut tokens = Vec::new();
    let mut i = 0;
    loop {
        i += leading_whitespace(text.get(i..).unwrap_or(""));
        let rest = text.get(i..).unwrap_or("");
        if rest.is_empty() {
            break;
        }
        // systemd checks the raw text for these, so `";"` is a word and `;x` is a word too.
        if ends_token(rest, ";") {
            tokens.push(Token::Separator);
            i += 1;
            continue;
        }
        if ends_token(rest, "\\;") {
            let mut w = SpannedText::new();
            w.push_mapped(";", value.span_of(i..i + 2));
            tokens.push(Token::Word(RawWord { text: w, raw: i..i + 2 }));
            i += 2;
            continue;
        }
        let (word, end) = lex_word(value, i, errors);
        tokens.push(Token::Word(RawWord { text: word, raw: i..end }));
        i = end;
    }
    tokens
}

fn leading_whitespace(s: &str) -> usize {
    s.len() - s.trim_start_matches(WHITESPACE).len()
}

/// `rest` starts with `tok` followed by whitespace or the end.
fn ends_token(rest: &str, tok: &str) -> bool {
    rest.strip_prefix(tok).is_some_and(|after| after.is_empty() || after.starts_with(WHITESPACE))
}

/// Reads one word starting at `start`; returns it and the offset just after it.
fn lex_word(value: &SpannedText, start: usize, errors: &mut Vec<SyntaxError>) -> (SpannedText, usize) {
    let text = value.as_str();
    let mut word = SpannedText::new();
    let mut quote: Option<(char, usize)> = None;
    let mut run = start;
    let mut i = start;
    while let Some(c) = text.get(i..).and_then(|r| r.chars().next()) {
        let len = c.len_utf8();
        match (c, quote) {
            (c, None) if WHITESPACE.contains(&c) => break,
            ('"' | '\'', None) => {
                word.push_slice(value, run..i);
                quote = Some((c, i));
                i += len;
                run = i;
            }
            (c, Some((q, _))) if c == q => {
                word.push_slice(value, run..i);
                quote = None;
                i += len;
                run = i;
            }
            // systemd unescapes inside both kinds of quotes, unlike a shell.
            ('\\', _) => {
                word.push_slice(value, run..i);
                i = push_escape(value, i, &mut word, errors);
                run = i;
            }
            _ => i += len,
        }
    }
    word.push_slice(value, run..i);
    if let Some((q, at)) = quote {
        errors.push(SyntaxError {
            span: value.span_of(at..text.len()),
            message: format!("unterminated quote `{q}`: systemd ignores this line"),
            help: Some(format!("close the quote with a matching `{q}`")),
        });
    }
    (word, i)
}

/// Decodes the escape whose backslash is at `at`, appends it and returns the offset after it.
fn push_escape(
    value: &SpannedText,
    at: usize,
    word: &mut SpannedText,
    errors: &mut Vec<SyntaxError>,
) -> usize {
    let after = value.as_str().get(at + 1..).unwrap_or("");
    match unescape(after) {
        Ok((c, len)) => {
            let end = at + 1 + len;
            word.push_mapped(c.encode_utf8(&mut [0; 4]), value.span_of(at..end));
            end
        }
        Err(len) => {
            let end = at + 1 + len;
            let written = value.as_str().get(at..end).unwrap_or("\\");
            errors.push(SyntaxError {
                span: value.span_of(at..end),
                message: if len == 0 {
                    "a backslash at the end of the line escapes nothing".into()
                } else {
                    format!("invalid escape `{written}`: systemd warns and keeps it as written")
                },
                help: Some(
                    "write `\\\\` for a backslash; valid escapes are \\n \\t \\\\ \\\" \\' \\s \\xNN \\NNN \\uNNNN \\UNNNNNNNN"
                        .into(),
                ),
            });
            // Keep the characters as written so that the word still reads sensibly.
            word.push_slice(value, at..end);
            end
        }
    }
}

/// systemd's `cunescape_one`: the character an escape stands for and how many bytes after the
/// backslash it uses; on error, how many bytes the bad escape covers.
fn unescape(after: &str) -> Result<(char, usize), usize> {
    let Some(c) = after.chars().next() else {
        return Err(0);
    };
    let simple = match c {
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        's' => Some(' '),
        '\\' | '"' | '\'' => Some(c),
        _ => None,
    };
    if let Some(s) = simple {
        return Ok((s, 1));
    }
    let (radix, digits) = match c {
        'x' => (16, 2),
        'u' => (16, 4),
        'U' => (16, 8),
        '0'..='7' => (8, 3),
        _ => return Err(c.len_utf8()),
    };
    // `\x`, `\u` and `\U` are followed by their digits; an octal escape starts with one.
    let skip = usize::from(radix == 16);
    let rest = after.get(skip..).unwrap_or("");
    let body: String = rest.chars().take(digits).take_while(|d| d.is_digit(radix)).collect();
    let covered = skip + body.len();
    if body.len() < digits {
        // Point at the digits read so far and the character that stopped them.
        let offending = rest
            .get(body.len()..)
            .and_then(|r| r.chars().next())
            .filter(|c| !WHITESPACE.contains(c))
            .map_or(0, char::len_utf8);
        return Err(covered + offending);
    }
    let n = u32::from_str_radix(&body, radix).map_err(|_| covered)?;
    // systemd refuses NUL, and octal escapes above one byte.
    if n == 0 || (radix == 8 && n > 255) {
        return Err(covered);
    }
    // systemd's `\U` must be a Unicode scalar that is not a non-character; its `\u` takes any
    // non-zero value, surrogates included, which have no `char`: they read as U+FFFD here.
    if c == 'U' && !unichar_is_valid(n) {
        return Err(covered);
    }
    if c == 'u' && (0xd800..=0xdfff).contains(&n) {
        return Ok(('\u{fffd}', covered));
    }
    // `\xNN` and `\NNN` give a raw byte in systemd; bytes above 0x7f have no UTF-8 meaning of
    // their own, so they become the Latin-1 character with that value.
    char::from_u32(n).map(|ch| (ch, covered)).ok_or(covered)
}

/// systemd's `unichar_is_valid`.
fn unichar_is_valid(n: u32) -> bool {
    n < 0x11_0000 && (n & 0xffff_f800) != 0xd800 && !(0xfdd0..=0xfdef).contains(&n) && (n & 0xfffe) != 0xfffe
}

/// Turns the words between two separators into a command.
fn finish(value: &SpannedText, words: Vec<RawWord>, line: &mut ExecLine) {
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return;
    };
    let span = value.span_of(first.raw.start..last.raw.end);
    let (prefixes, prefix_len) = split_prefixes(first.text.as_str());
    let prefix_span = first.text.span_of(0..prefix_len);
    let program = first.text.slice(prefix_len..first.text.len());
    if program.is_empty() {
        line.errors.push(SyntaxError {
            span,
            message: "empty program path after the prefixes: systemd ignores this line".into(),
            help: Some("write the program right after the prefixes, like `-/usr/bin/true`".into()),
        });
        // Nothing runs, so there is no command for the rules to look at.
        return;
    }
    // The prefixes are not part of the program word as written.
    let outer = value.span_of(first.raw.clone());
    let start = if prefix_len == 0 { outer.start } else { program.span().start };
    let mut word_spans = vec![Span::new(start as usize, outer.end as usize)];
    word_spans.extend(words.iter().skip(1).map(|w| value.span_of(w.raw.clone())));
    let mut argv = vec![program];
    argv.extend(words.into_iter().skip(1).map(|w| w.text));
    if prefixes.contains('@') && argv.len() < 2 {
        line.errors.push(SyntaxError {
            span,
            message: "the `@` prefix needs an argv0 word after the program: systemd ignores this line".into(),
            help: Some("write `@/path/to/program name-for-argv0 args…`, or drop the `@`".into()),
        });
    }
    line.commands.push(ExecCommand { prefixes, prefix_span, argv, word_spans, span });
}

/// The accepted prefixes at the start of the first word, following systemd's loop: each of
/// `-` `@` `:` once, then either `+`, or `!` optionally followed by a second `!`.
fn split_prefixes(word: &str) -> (String, usize) {
    let (mut ignore, mut argv0, mut no_env) = (false, false, false);
    let (mut plus, mut bangs) = (false, 0);
    let mut len = 0;
    for c in word.chars() {
        let accepted = match c {
            '-' if !ignore => {
                ignore = true;
                true
            }
            '@' if !argv0 => {
                argv0 = true;
                true
            }
            ':' if !no_env => {
                no_env = true;
                true
            }
            '+' if !plus && bangs == 0 => {
                plus = true;
                true
            }
            '!' if !plus && bangs < 2 => {
                bangs += 1;
                true
            }
            _ => false,
        };
        if !accepted {
            break;
        }
        len += 1;
    }
    (word.get(..len).unwrap_or("").to_string(), len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(cmd: &ExecCommand) -> Vec<&str> {
        cmd.argv.iter().map(SpannedText::as_str).collect()
    }

    /// Parses `src` placed at offset 10 of a file, to catch spans that forget the offset.
    fn parse_at(src: &str) -> (String, ExecLine) {
        let file = format!("ExecStart={src}");
        let line = parse_exec(&SpannedText::verbatim(src, 10));
        (file, line)
    }

    fn ok(src: &str) -> (String, ExecLine) {
        let (file, line) = parse_at(src);
        assert!(line.errors.is_empty(), "{src}: {:?}", line.errors);
        (file, line)
    }

    #[test]
    fn plain_words() {
        let (file, line) = ok("/usr/bin/docker run --rm  img:1");
        assert_eq!(line.commands.len(), 1);
        let cmd = &line.commands[0];
        assert_eq!(words(cmd), ["/usr/bin/docker", "run", "--rm", "img:1"]);
        assert_eq!(cmd.program().map(SpannedText::as_str), Some("/usr/bin/docker"));
        assert_eq!(cmd.args().len(), 3);
        assert_eq!(&file[cmd.span.range()], "/usr/bin/docker run --rm  img:1");
        assert_eq!(&file[cmd.argv[3].span().range()], "img:1");
        assert!(cmd.prefixes.is_empty());
        assert_eq!(cmd.prefix_span, Span::empty(10));
    }

    #[test]
    fn image_after_quoted_volume_keeps_its_span() {
        let (file, line) = ok(r#"/usr/bin/docker run -v "/a b":/c img:1"#);
        let cmd = &line.commands[0];
        assert_eq!(words(cmd), ["/usr/bin/docker", "run", "-v", "/a b:/c", "img:1"]);
        assert_eq!(&file[cmd.argv[4].span().range()], "img:1");
        let vol = &cmd.argv[3];
        assert_eq!(&file[vol.span().range()], r#"/a b":/c"#);
        assert_eq!(&file[cmd.word_spans[3].range()], r#""/a b":/c"#);
        // Inside the word the map stays exact: `/c` is where it was written.
        assert_eq!(&file[vol.span_of(5..7).range()], "/c");
        assert_eq!(&file[vol.span_of(1..4).range()], "a b");
    }

    #[test]
    fn quoted_and_escaped_words_cover_what_was_written() {
        let (file, line) = ok(r#"/bin/echo "a b" 'c d' x\x41y "\t" "q\"""#);
        let cmd = &line.commands[0];
        assert_eq!(words(cmd), ["/bin/echo", "a b", "c d", "xAy", "\t", "q\""]);
        let written: Vec<&str> = cmd.word_spans.iter().map(|s| &file[s.range()]).collect();
        assert_eq!(written, ["/bin/echo", r#""a b""#, "'c d'", r"x\x41y", r#""\t""#, r#""q\"""#]);
        // Without the quotes, a word still covers its escapes.
        let text: Vec<&str> = cmd.argv.iter().map(|w| &file[w.span().range()]).collect();
        assert_eq!(text, ["/bin/echo", "a b", "c d", r"x\x41y", r"\t", r#"q\""#]);
        // The escape maps as a whole.
        assert_eq!(&file[cmd.argv[3].span_of(1..2).range()], r"\x41");
    }

    #[test]
    fn quotes_inside_a_word_join() {
        let (_, line) = ok(r#"/bin/x --opt="a b"c 'it''s'"#);
        assert_eq!(words(&line.commands[0]), ["/bin/x", "--opt=a bc", "its"]);
    }

    #[test]
    fn c_escapes() {
        let (_, line) = ok(r#"/bin/x \n\t\\ \" \' \s \101 \u00e9 \U0001F600 "\x7e""#);
        assert_eq!(words(&line.commands[0]), ["/bin/x", "\n\t\\", "\"", "'", " ", "A", "é", "😀", "~"]);
    }

    #[test]
    fn escapes_inside_single_quotes_are_decoded_too() {
        let (_, line) = ok(r"/bin/x 'a\tb'");
        assert_eq!(words(&line.commands[0]), ["/bin/x", "a\tb"]);
    }

    #[test]
    fn specifiers_and_variables_stay_verbatim() {
        let (file, line) = ok("/usr/bin/docker run --name %n-%i ${IMAGE} $OPTS %%");
        let cmd = &line.commands[0];
        assert_eq!(words(cmd)[3..], ["%n-%i", "${IMAGE}", "$OPTS", "%%"]);
        assert_eq!(&file[cmd.argv[4].span().range()], "${IMAGE}");
    }

    #[test]
    fn prefixes() {
        let cases: &[(&str, &str, &str)] = &[
            ("-/bin/true", "-", "/bin/true"),
            ("@/bin/sh sh -c x", "@", "/bin/sh"),
            (":/bin/x", ":", "/bin/x"),
            ("+/bin/x", "+", "/bin/x"),
            ("!/bin/x", "!", "/bin/x"),
            ("!!/bin/x", "!!", "/bin/x"),
            ("-@:+/bin/x a", "-@:+", "/bin/x"),
            ("-!!/bin/x", "-!!", "/bin/x"),
            // A second `-` or a `+` after `!` is not a prefix: it starts the path.
            ("--/bin/x", "-", "-/bin/x"),
            ("!+/bin/x", "!", "+/bin/x"),
        ];
        for (src, prefixes, program) in cases {
            let (file, line) = parse_at(src);
            let cmd = &line.commands[0];
            assert_eq!(cmd.prefixes, *prefixes, "{src}");
            assert_eq!(cmd.program().map(SpannedText::as_str), Some(*program), "{src}");
            assert_eq!(&file[cmd.prefix_span.range()], *prefixes, "{src}");
            assert_eq!(&file[cmd.argv[0].span().range()], *program, "{src}");
            assert_eq!(&file[cmd.word_spans[0].range()], *program, "{src}");
            assert_eq!(&file[cmd.span.range()], *src, "{src}");
        }
    }

    #[test]
    fn ignore_failure_and_argv0() {
        let (_, line) = ok("-@/bin/sh mysh -c true");
        let cmd = &line.commands[0];
        assert!(cmd.ignore_failure());
        assert!(cmd.separate_argv0());
        assert_eq!(cmd.program().map(SpannedText::as_str), Some("/bin/sh"));
        let args: Vec<&str> = cmd.args().iter().map(SpannedText::as_str).collect();
        assert_eq!(args, ["-c", "true"]);
        let (_, line) = ok("/bin/true");
        assert!(!line.commands[0].ignore_failure());
        assert!(line.commands[0].args().is_empty());
    }

    #[test]
    fn quoted_first_word_prefixes() {
        let (file, line) = ok(r#""-/bin/a b" c"#);
        let cmd = &line.commands[0];
        assert_eq!(cmd.prefixes, "-");
        assert_eq!(words(cmd), ["/bin/a b", "c"]);
        assert_eq!(&file[cmd.prefix_span.range()], "-");
        assert_eq!(&file[cmd.argv[0].span().range()], "/bin/a b");
        assert_eq!(&file[cmd.word_spans[0].range()], r#"/bin/a b""#);
    }

    #[test]
    fn semicolons_separate_commands() {
        let (file, line) = ok(r#"/bin/a x ; -/bin/b \; ";" y;z ;"#);
        let cmds: Vec<Vec<&str>> = line.commands.iter().map(words).collect();
        assert_eq!(cmds, vec![vec!["/bin/a", "x"], vec!["/bin/b", ";", ";", "y;z"]]);
        assert_eq!(&file[line.commands[1].span.range()], r#"-/bin/b \; ";" y;z"#);
        assert_eq!(&file[line.commands[1].argv[1].span().range()], r"\;");
        assert!(line.commands[1].ignore_failure());
        assert!(!line.commands[0].ignore_failure());
    }

    #[test]
    fn leading_and_repeated_separators_make_no_commands() {
        let (_, line) = ok(" ; /bin/a ; ; /bin/b");
        let cmds: Vec<Vec<&str>> = line.commands.iter().map(words).collect();
        assert_eq!(cmds, vec![vec!["/bin/a"], vec!["/bin/b"]]);
        let (_, line) = ok("   ");
        assert!(line.commands.is_empty());
    }

    #[test]
    fn unterminated_quote_is_an_error_with_a_span() {
        let (file, line) = parse_at(r#"/bin/sh -c "echo hi"#);
        assert_eq!(line.errors.len(), 1);
        assert_eq!(&file[line.errors[0].span.range()], r#""echo hi"#);
        assert!(line.errors[0].message.contains("unterminated"));
        assert_eq!(words(&line.commands[0]), ["/bin/sh", "-c", "echo hi"]);
    }

    #[test]
    fn bad_escapes_are_errors_with_spans() {
        let cases: &[(&str, &str)] = &[
            (r"/bin/x a\qb", r"\q"),
            (r"/bin/x \x4", r"\x4"),
            (r"/bin/x \xzz", r"\xz"),
            (r"/bin/x \x00", r"\x00"),
            (r"/bin/x \000", r"\000"),
            (r"/bin/x \777", r"\777"),
            (r"/bin/x \UD800", r"\UD800"),
            (r"/bin/x \U0000FFFE", r"\U0000FFFE"),
            (r"/bin/x \U00110000", r"\U00110000"),
            (r"/bin/x \", r"\"),
            (r"/bin/x a\;", r"\;"),
            (r"/bin/x \é", r"\é"),
        ];
        for (src, bad) in cases {
            let (file, line) = parse_at(src);
            assert_eq!(line.errors.len(), 1, "{src}: {:?}", line.errors);
            assert_eq!(&file[line.errors[0].span.range()], *bad, "{src}");
        }
    }

    #[test]
    fn u_escapes_take_surrogates_as_systemd_does() {
        let (_, line) = parse_at(r"/bin/x \uD800");
        assert!(line.errors.is_empty());
        assert_eq!(words(&line.commands[0]), ["/bin/x", "\u{fffd}"]);
    }

    #[test]
    fn empty_program_is_an_error() {
        let (_, line) = parse_at("- x");
        assert_eq!(line.errors.len(), 1);
        assert!(line.commands.is_empty());
        let (file, line) = parse_at("- ; /bin/b");
        assert_eq!(line.errors.len(), 1);
        assert_eq!(&file[line.errors[0].span.range()], "-");
        assert_eq!(line.commands.len(), 1);
        assert_eq!(line.commands[0].program().map(SpannedText::as_str), Some("/bin/b"));
        let (_, line) = parse_at("@/bin/sh");
        assert_eq!(line.errors.len(), 1);
    }

    #[test]
    fn empty_quoted_word_is_kept() {
        let (file, line) = ok(r#"/bin/x "" y"#);
        let cmd = &line.commands[0];
        assert_eq!(words(cmd), ["/bin/x", "", "y"]);
        assert_eq!(&file[cmd.span.range()], r#"/bin/x "" y"#);
        assert_eq!(&file[cmd.word_spans[1].range()], r#""""#);
    }

    #[test]
    fn continuation_lines_from_the_unit_parser() {
        let src = "[Service]\nExecStart=/usr/bin/docker run \\\n  -v \"/x y\":/z \\\n  img:1\n";
        let unit = crate::unit::parse(src);
        let entry = unit.entries("Service", "ExecStart").next().expect("entry");
        let line = parse_exec(&entry.value);
        assert!(line.errors.is_empty());
        let cmd = &line.commands[0];
        assert_eq!(words(cmd), ["/usr/bin/docker", "run", "-v", "/x y:/z", "img:1"]);
        let written: Vec<&str> = cmd.word_spans.iter().map(|s| &src[s.range()]).collect();
        assert_eq!(written, ["/usr/bin/docker", "run", "-v", "\"/x y\":/z", "img:1"]);
        assert_eq!(&src[cmd.argv[3].span().range()], "/x y\":/z");
        assert_eq!(&src[cmd.argv[4].span().range()], "img:1");
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn check_span(span: Span, len: usize) -> Result<(), TestCaseError> {
            prop_assert!(span.start <= span.end, "{span:?}");
            prop_assert!(span.end as usize <= len, "{span:?} beyond {len}");
            Ok(())
        }

        fn check(input: &str) -> Result<(), TestCaseError> {
            let line = parse_exec(&SpannedText::verbatim(input, 0));
            for cmd in &line.commands {
                check_span(cmd.span, input.len())?;
                check_span(cmd.prefix_span, input.len())?;
                prop_assert_eq!(cmd.word_spans.len(), cmd.argv.len());
                for s in &cmd.word_spans {
                    check_span(*s, input.len())?;
                }
                for w in &cmd.argv {
                    check_span(w.span(), input.len())?;
                    for i in 0..=w.len() {
                        check_span(w.span_of(0..i), input.len())?;
                    }
                }
            }
            for e in &line.errors {
                check_span(e.span, input.len())?;
            }
            Ok(())
        }

        proptest! {
            #[test]
            fn never_panics_and_spans_stay_inside(input in any::<String>()) {
                check(&input)?;
            }

            #[test]
            fn never_panics_on_exec_like_text(input in r#"([-@:+!;"'\\ $%{}xnuU0-9a-f\t]|é|😀){0,40}"#) {
                check(&input)?;
            }
        }
    }
}
