//! The script of `sh -c '…'`: split into simple commands and words, POSIX-style, well enough to
//! see which programs it runs. Best effort: it never fails, it only gets less precise on shell
//! features it does not model (here-documents, `case`, functions, arrays).

use crate::span::Span;
use crate::text::SpannedText;

/// One simple command of a script, with the assignments and redirections taken out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShellCommand {
    /// The command words, program first. Quotes are removed and escapes decoded; `$(…)`,
    /// backquotes and `${…}` stay verbatim inside the word they belong to.
    pub words: Vec<SpannedText>,
    /// The simple command as written, including leading assignments and redirections.
    pub span: Span,
}

/// Splits a script at `;` `&&` `||` `|` `&`, newlines and parentheses into simple commands.
///
/// Leading `VAR=value` assignments, leading reserved words (`if`, `then`, `do`, `!`, `{` …),
/// redirections with their targets and `#` comments are dropped; a command left without words
/// (a bare assignment, `fi`) is dropped too. Words map back to the file like
/// [`crate::exec::parse_exec`]'s words do: quotes are not part of a word's span.
pub fn split_script(script: &SpannedText) -> Vec<ShellCommand> {
    let text = script.as_str();
    let mut out = Vec::new();
    let mut cmd = Pending::default();
    let mut i = 0;
    while let Some(c) = char_at(text, i) {
        let next = char_at(text, i + c.len_utf8());
        match c {
            ' ' | '\t' | '\r' => i += 1,
            '\\' if next == Some('\n') => i += 2,
            '#' => i += text.get(i..).and_then(|r| r.find('\n')).unwrap_or(text.len().saturating_sub(i)),
            '&' if next == Some('>') => {
                let end = skip_redirection(script, i);
                cmd.touch(i..end);
                i = end;
            }
            '<' | '>' => {
                let end = skip_redirection(script, i);
                cmd.touch(i..end);
                i = end;
            }
            '\n' | ';' | '&' | '|' | '(' | ')' => {
                cmd.finish(script, &mut out);
                i += 1;
                // `&&`, `||`, `;;`, `|&` are one operator; `&>` starts a redirection.
                while let Some(n @ (';' | '&' | '|')) = char_at(text, i) {
                    if n == '&' && char_at(text, i + 1) == Some('>') {
                        break;
                    }
                    i += 1;
                }
            }
            _ => {
                let (word, end) = read_word(script, i);
                let raw = text.get(i..end).unwrap_or("");
                let io_number = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit());
                if io_number && matches!(char_at(text, end), Some('<' | '>')) {
                    // `2>&1`: the digits belong to the redirection.
                    let stop = skip_redirection(script, end);
                    cmd.touch(i..stop);
                    i = stop;
                } else {
                    cmd.push(word, i..end, raw);
                    i = end.max(i + 1);
                }
            }
        }
    }
    cmd.finish(script, &mut out);
    out
}

/// The command being collected, in text offsets of the script.
#[derive(Default)]
struct Pending {
    words: Vec<SpannedText>,
    range: Option<std::ops::Range<usize>>,
}

impl Pending {
    fn touch(&mut self, r: std::ops::Range<usize>) {
        self.range = Some(match self.range.take() {
            Some(old) => old.start.min(r.start)..old.end.max(r.end),
            None => r,
        });
    }

    fn push(&mut self, word: SpannedText, raw: std::ops::Range<usize>, raw_text: &str) {
        if self.words.is_empty() {
            if RESERVED.contains(&raw_text) {
                return;
            }
            if is_assignment(raw_text) {
                self.touch(raw);
                return;
            }
        }
        self.touch(raw);
        self.words.push(word);
    }

    fn finish(&mut self, script: &SpannedText, out: &mut Vec<ShellCommand>) {
        let words = std::mem::take(&mut self.words);
        let range = self.range.take();
        if let (false, Some(range)) = (words.is_empty(), range) {
            out.push(ShellCommand { words, span: script.span_of(range) });
        }
    }
}

/// Words that open or close compound commands; the command proper comes after them.
const RESERVED: &[&str] =
    &["if", "then", "elif", "else", "fi", "do", "done", "while", "until", "{", "}", "!", "time"];

fn is_assignment(raw: &str) -> bool {
    let Some((name, _)) = raw.split_once('=') else {
        return false;
    };
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn char_at(text: &str, i: usize) -> Option<char> {
    text.get(i..).and_then(|r| r.chars().next())
}

/// Skips a redirection operator at `at` and its target word; returns the offset after them.
fn skip_redirection(script: &SpannedText, at: usize) -> usize {
    let text = script.as_str();
    let mut i = at;
    while let Some('<' | '>' | '&' | '|' | '-') = char_at(text, i) {
        i += 1;
    }
    while let Some(' ' | '\t') = char_at(text, i) {
        i += 1;
    }
    match char_at(text, i) {
        None | Some('\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>') => i,
        Some(_) => read_word(script, i).1,
    }
}

/// Reads one word at `start`; returns its text and the offset just after it.
fn read_word(script: &SpannedText, start: usize) -> (SpannedText, usize) {
    let text = script.as_str();
    let mut word = SpannedText::new();
    let mut run = start;
    let mut i = start;
    // Inside double quotes; single quotes are consumed in one step.
    let mut dquote = false;
    while let Some(c) = char_at(text, i) {
        let next = char_at(text, i + c.len_utf8());
        match c {
            ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '<' | '>' | '(' | ')' if !dquote => break,
            '"' => {
                word.push_slice(script, run..i);
                dquote = !dquote;
                i += 1;
                run = i;
            }
            '\'' if !dquote => {
                word.push_slice(script, run..i);
                let body = i + 1;
                let close = text.get(body..).and_then(|r| r.find('\'')).map(|n| body + n);
                let end = close.unwrap_or(text.len());
                word.push_slice(script, body..end);
                i = close.map_or(end, |c| c + 1);
                run = i;
            }
            '\\' => {
                // In double quotes a backslash escapes only these; elsewhere it is literal.
                let escapes = next.is_some_and(|n| !dquote || matches!(n, '$' | '`' | '"' | '\\' | '\n'));
                if let (true, Some(n)) = (escapes, next) {
                    word.push_slice(script, run..i);
                    let end = i + 1 + n.len_utf8();
                    // A backslash-newline joins lines and stands for nothing.
                    if n != '\n' {
                        word.push_mapped(n.encode_utf8(&mut [0; 4]), script.span_of(i..end));
                    }
                    i = end;
                    run = i;
                } else {
                    i += 1;
                }
            }
            '$' if next == Some('(') => i = skip_nested(text, i + 2, Nest::Paren),
            '$' if next == Some('{') => i = skip_nested(text, i + 2, Nest::Brace),
            '`' => i = skip_nested(text, i + 1, Nest::Backquote),
            _ => i += c.len_utf8(),
        }
    }
    word.push_slice(script, run..i);
    (word, i)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Nest {
    Paren,
    Brace,
    DoubleQuote,
    Backquote,
}

/// Skips the rest of a `$(…)`, `${…}` or backquoted substitution whose opening is just before
/// `i`, with whatever it nests; returns the offset after its end (or the end of the text).
/// An explicit stack, not recursion: a hostile script cannot exhaust the call stack.
fn skip_nested(text: &str, mut i: usize, first: Nest) -> usize {
    let mut stack = vec![first];
    while let Some(&top) = stack.last() {
        let Some(c) = char_at(text, i) else {
            return text.len();
        };
        i += c.len_utf8();
        let next = char_at(text, i);
        match (top, c) {
            (_, '\\') => i += next.map_or(0, char::len_utf8),
            (Nest::Paren, ')') | (Nest::Brace, '}') | (Nest::DoubleQuote, '"') | (Nest::Backquote, '`') => {
                stack.pop();
            }
            (Nest::Backquote, _) => {}
            (_, '$') if next == Some('(') => {
                i += 1;
                stack.push(Nest::Paren);
            }
            (_, '$') if next == Some('{') => {
                i += 1;
                stack.push(Nest::Brace);
            }
            (_, '`') => stack.push(Nest::Backquote),
            (Nest::DoubleQuote, _) => {}
            (Nest::Paren, '(') => stack.push(Nest::Paren),
            (_, '"') => stack.push(Nest::DoubleQuote),
            (_, '\'') => {
                let close = text.get(i..).and_then(|r| r.find('\''));
                i = close.map_or(text.len(), |n| i + n + 1);
            }
            _ => {}
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(src: &str) -> Vec<Vec<String>> {
        split_script(&SpannedText::verbatim(src, 0))
            .iter()
            .map(|c| c.words.iter().map(|w| w.as_str().to_string()).collect())
            .collect()
    }

    #[test]
    fn operators_split_commands() {
        assert_eq!(
            split("a 1; b 2 && c || d | e & f\ng"),
            vec![vec!["a", "1"], vec!["b", "2"], vec!["c"], vec!["d"], vec!["e"], vec!["f"], vec!["g"]]
        );
        assert_eq!(split("a;b&&c"), vec![vec!["a"], vec!["b"], vec!["c"]]);
        assert_eq!(split("(a; b) |& c"), vec![vec!["a"], vec!["b"], vec!["c"]]);
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(
            split(r#"echo 'a b' "c d" e\ f "x\"y" 'it'\''s' "\q""#),
            vec![vec!["echo", "a b", "c d", "e f", "x\"y", "it's", "\\q"]]
        );
        assert_eq!(split("a 'x;y' \"p|q\" r\\;s"), vec![vec!["a", "x;y", "p|q", "r;s"]]);
    }

    #[test]
    fn substitutions_stay_in_their_word() {
        assert_eq!(
            split(r#"docker run -e X=$(cat /f; echo ")") --name `hostname -s` img:${TAG:-v1} "$(a "b c")""#),
            vec![vec![
                "docker",
                "run",
                "-e",
                r#"X=$(cat /f; echo ")")"#,
                "--name",
                "`hostname -s`",
                "img:${TAG:-v1}",
                r#"$(a "b c")"#,
            ]]
        );
        assert_eq!(split("echo $((1 + (2 * 3))); b"), vec![vec!["echo", "$((1 + (2 * 3)))"], vec!["b"]]);
    }

    #[test]
    fn assignments_comments_and_reserved_words_are_dropped() {
        assert_eq!(
            split("FOO=1 BAR=\"a b\" exec docker run X=1 # comment ; not a command\nA=b\nif test -f x; then docker ps; fi"),
            vec![
                vec!["exec", "docker", "run", "X=1"],
                vec!["test", "-f", "x"],
                vec!["docker", "ps"],
            ]
        );
        assert_eq!(split("a#b"), vec![vec!["a#b"]]);
        assert_eq!(split("{ a; }; ! b"), vec![vec!["a"], vec!["b"]]);
    }

    #[test]
    fn redirections_are_dropped() {
        assert_eq!(
            split("docker run img >/var/log/x 2>&1 < in; b &>/dev/null; c 2> e d >> f"),
            vec![vec!["docker", "run", "img"], vec!["b"], vec!["c", "d"]]
        );
        assert_eq!(split("a >&2 b"), vec![vec!["a", "b"]]);
    }

    #[test]
    fn line_continuations() {
        assert_eq!(split("docker run \\\n  --rm img"), vec![vec!["docker", "run", "--rm", "img"]]);
        assert_eq!(split("a\\\nb"), vec![vec!["ab"]]);
    }

    #[test]
    fn spans_point_into_the_file() {
        // The script as the exec parser hands it over: the `-c` word of an Exec line.
        let file =
            r#"ExecStart=/bin/sh -c 'FOO=1 exec /usr/bin/docker run -v "/a b":/c img:1 && echo "x\\$y"'"#;
        let exec = crate::exec::parse_exec(&SpannedText::verbatim(&file[10..], 10));
        let script = &exec.commands[0].argv[2];
        let cmds = split_script(script);
        assert_eq!(cmds.len(), 2);
        let written: Vec<&str> = cmds[0].words.iter().map(|w| &file[w.span().range()]).collect();
        assert_eq!(written, ["exec", "/usr/bin/docker", "run", "-v", r#"/a b":/c"#, "img:1"]);
        assert_eq!(&file[cmds[0].span.range()], r#"FOO=1 exec /usr/bin/docker run -v "/a b":/c img:1"#);
        assert_eq!(cmds[1].words[1].as_str(), "x$y");
        // `\\` is systemd's escape for the backslash that escapes `$` for the shell.
        assert_eq!(&file[cmds[1].words[1].span().range()], r"x\\$y");
    }

    #[test]
    fn unterminated_constructs_do_not_panic() {
        for src in ["'abc", "\"abc", "$(abc", "`abc", "${abc", "a \\", "2>", "a >", "\"$(\"$(\"", "&&", "é'é"]
        {
            let _ = split(src);
        }
        assert_eq!(split("echo 'abc"), vec![vec!["echo", "abc"]]);
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let src = "\"$(".repeat(200_000);
        assert_eq!(split(&src).len(), 1);
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn check(input: &str) -> Result<(), TestCaseError> {
            for cmd in split_script(&SpannedText::verbatim(input, 0)) {
                prop_assert!(cmd.span.start <= cmd.span.end);
                prop_assert!(cmd.span.end as usize <= input.len());
                prop_assert!(!cmd.words.is_empty());
                for w in &cmd.words {
                    let s = w.span();
                    prop_assert!(s.start <= s.end && s.end as usize <= input.len(), "{s:?}");
                }
            }
            Ok(())
        }

        proptest! {
            #[test]
            fn never_panics_and_spans_stay_inside(input in any::<String>()) {
                check(&input)?;
            }

            #[test]
            fn never_panics_on_shell_like_text(input in r#"([;&|<>()"'`\\$={}#\n 0-9a-z]|é){0,40}"#) {
                check(&input)?;
            }
        }
    }
}
