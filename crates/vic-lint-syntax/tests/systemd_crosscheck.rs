#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Cross-check of the unit and `Exec*=` parsers against systemd's own parser.
//!
//! Each case is written as `t.service` to a fresh directory and given to
//! `systemd-analyze verify --man=no`. From its output we keep the line numbers of the messages
//! about *syntax* (see [`SYNTAX_MESSAGES`]) and compare them with the lines where
//! `unit::parse` and `exec::parse_exec` (on every `Exec*=` value of `[Service]`) report errors.
//!
//! How systemd numbers lines, found by running it by hand (systemd 252):
//! - a physical line ends at `\n`, `\r\n` or a lone `\r` (`read_line`);
//! - an error in a continued logical line is reported on its *last* physical line, the one that
//!   does not end in a backslash (comment lines inside the continuation are skipped, but counted);
//! - a file that ends inside a continuation reports the error one line past the last line read;
//! - a line longer than 1 MiB makes systemd reject the whole file with "No buffer space
//!   available" and no line number: both sides map that to line 0.
//!
//! Our errors are mapped to the same numbering by [`report_lines`], from the start of their span.
//!
//! Differences accepted on purpose are in [`accepted_differences`], each with its reason. Cases
//! the cross-check once found us getting wrong are in [`fixed_cases`], checked with the others.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use vic_lint_syntax::exec::parse_exec;
use vic_lint_syntax::unit::{self, MAX_LINE_BYTES};

const SYSTEMD_ANALYZE: &str = "systemd-analyze";

/// Parts of the systemd messages that are about reading the file, not about the meaning of a
/// setting (`Unknown key`, `Failed to parse service type`, a missing executable... are left out).
const SYNTAX_MESSAGES: &[&str] = &[
    "Missing '='",
    "Missing key name before '='",
    "Invalid section header",
    "Bad characters in section header",
    "Assignment outside of section",
    "Unbalanced quoting",
    "unknown escape sequence",
    "Invalid escape",
    "Empty path in command line",
    "Empty executable name or zeroeth argument",
    "Line too long",
    "Continuation line too long",
    // systemd up to 246 still read `.include`, with a warning; newer ones say "Missing '='".
    ".include",
];

/// The message `verify` prints, without a line number, when a line is longer than LONG_LINE_MAX.
const FILE_TOO_LONG: &str = "No buffer space available";

struct Case {
    name: &'static str,
    text: String,
}

fn case(name: &'static str, text: impl Into<String>) -> Case {
    Case { name, text: text.into() }
}

/// The unit every case builds on, so that systemd loads it as a service.
const HEAD: &str = "[Unit]\nDescription=cross-check\n\n[Service]\nExecStart=/bin/true\n";

/// Cases on which systemd and our parsers must report the same lines.
fn agreeing_cases() -> Vec<Case> {
    vec![
        case("clean", HEAD),
        case("missing equals", format!("{HEAD}noequals\n")),
        case("missing key", format!("{HEAD}=value\n")),
        case("key outside any section", format!("A=b\n{HEAD}")),
        case("continued key outside any section", format!("A=b \\\n  c\n{HEAD}")),
        // systemd refuses the file at a bad header and reads no further: keep it last.
        case("invalid section header", format!("{HEAD}[Unit\n")),
        case("text after the section header", format!("{HEAD}[Service] x\n")),
        case(".include", format!("{HEAD}.include /etc/systemd/system/other.service\n")),
        case("include inside a section", format!("[Unit]\n.include /x\n{HEAD}")),
        case(
            "comment lines inside a continuation",
            format!("{HEAD}ExecStartPre=/bin/echo a \\\n# c \\\n; d\n  b\nnoequals\n"),
        ),
        case("missing equals on a continued line", format!("{HEAD}noequals \\\n  more \\\n  last\nA=b\n")),
        case("continuation ended by an empty line", format!("{HEAD}noequals \\\n more \\\n\nB=c\n")),
        case("CRLF", "[Unit]\r\nDescription=x\r\n[Service]\r\nExecStart=/bin/true\r\nnoequals\r\n=x\r\n"),
        case("CRLF continuation", format!("{HEAD}noequals \\\r\n  more\r\nC=d\r\n")),
        case("BOM", format!("\u{feff}{HEAD}noequals\n")),
        case("backslash at the end of the file", format!("{HEAD}noequals \\")),
        case("backslash at the end of the file, then a comment", format!("{HEAD}noequals \\\n# c\n")),
        case("setting ending in a backslash at the end of the file", format!("{HEAD}Environment=A=b \\")),
        case("escaped trailing backslash", format!("{HEAD}Environment=a\\\\\nnoequals\n")),
        case("odd trailing backslashes", format!("{HEAD}Environment=a\\\\\\\nnoequals\nnoequals2\n")),
        case("comment ending in a backslash", format!("{HEAD}# c \\\nnoequals\n")),
        case(
            "whitespace around `=`",
            "[Unit]\n  Description  =  x  \n\t[Service]\t\n  ExecStart  =  /bin/true  \n Type =  \n  noequals  \n",
        ),
        case("empty values", format!("{HEAD}ExecStartPre=\nEnvironment=\nRequires=\n")),
        case("inline `#` and `;` are not comments", "[Service]\nExecStart=/bin/true # x ; y\n"),
        case("unbalanced double quote", "[Service]\nExecStart=/bin/sh -c \"echo hi\n"),
        case("unbalanced single quote", "[Service]\nExecStart=/bin/echo 'a\n"),
        case("quote left open at an escaped quote", "[Service]\nExecStart=/bin/echo \"a\\\"\n"),
        case("quote open in the middle of a word", "[Service]\nExecStart=/bin/echo a\"b\"c\"d\n"),
        case("unbalanced quote over a continuation", "[Service]\nExecStart=/bin/echo \"a \\\n  b\n"),
        case(
            "unbalanced quote in the second command",
            format!("{HEAD}ExecStartPost=/bin/true ; /bin/echo \"x\n"),
        ),
        case(
            "balanced quotes, separators and escapes",
            "[Service]\nExecStart=/bin/echo a\"b c\"d '\"' \\; \";\" x;y ; /bin/true\n\
             ExecStartPre=\"-/bin/true\"\nExecStartPost=; /bin/true\n\
             ExecStop=/bin/echo \\n\\t\\\\ \\\" \\' \\s \\x41 \\101 \\u00e9 \\U0001F600 \\x80 \\377 \\uFFFE\n",
        ),
        case(
            "invalid escapes",
            format!(
                "{HEAD}ExecStartPre=/bin/echo \\q\nExecStartPre=/bin/echo \\x4\n\
                 ExecStartPre=/bin/echo \\12\nExecStartPre=/bin/echo a\\ b\n\
                 ExecStartPre=/bin/echo \\400\nExecStartPre=/bin/echo \\8\n\
                 ExecStartPre=/bin/echo \\x00\nExecStartPre=/bin/echo \\000\n\
                 ExecStartPre=/bin/echo \\u0000\nExecStartPre=/bin/echo \\U00110000\n\
                 ExecStartPre=/bin/echo a\\;\n"
            ),
        ),
        case("invalid escape on a continuation line", "[Service]\nExecStart=/bin/echo a \\\n  \\q \\\n  b\n"),
        case("empty program after a prefix", format!("{HEAD}ExecStartPre=-\nExecStartPost=- x\n")),
        case("`@` without argv0", "[Service]\nExecStart=@/bin/true\n"),
        case("line too long", format!("{HEAD}Environment=A={}\n", "x".repeat(MAX_LINE_BYTES + 10))),
        case(
            "continued line too long",
            format!("{HEAD}Environment=A={}end\n", format!("{} \\\n", "x".repeat(600 * 1024)).repeat(2)),
        ),
    ]
}

/// A difference from systemd kept on purpose: the lines systemd reports, and the ones we report.
struct Accepted {
    case: Case,
    systemd: &'static [u32],
    ours: &'static [u32],
}

/// Differences accepted on purpose. Each is asserted exactly, so that a change on either side
/// shows up here and the reason can be revisited.
fn accepted_differences() -> Vec<Accepted> {
    vec![
        // systemd looks for a comment *before* it strips the byte-order mark, so a first line
        // `<BOM># comment` is an "assignment outside of section" to it, which it ignores anyway.
        // Our parser strips the mark first and sees the comment: the line has no effect either
        // way, and a warning about a comment would only confuse.
        Accepted {
            case: case("BOM before a comment", format!("\u{feff}# c\n{HEAD}")),
            systemd: &[1],
            ours: &[],
        },
        // systemd strips a byte-order mark from whichever line it first finds one on. We only
        // strip it at the start of the file: a mark in the middle of a file (files concatenated
        // with `cat`) is a mistake worth reporting, and we do.
        Accepted {
            case: case("BOM on the second line", "# c\n\u{feff}[Service]\nExecStart=/bin/true\n"),
            systemd: &[],
            ours: &[2, 3],
        },
        // A syntax error inside a section systemd ignores (`X-` or unknown sections) is silent
        // in systemd: it skips the section's lines before looking at them. We still report a
        // malformed line: it is broken wherever it is.
        Accepted {
            case: case("malformed line in an X- section", format!("{HEAD}[X-Vendor]\nnoequals\n")),
            systemd: &[],
            ours: &[7],
        },
        // `[]` and `[Unit]]` are sections named `` and `Unit]` to systemd, which warns "Unknown
        // section ... Ignoring." (not a syntax message) and ignores their settings. We report
        // them as invalid section names.
        Accepted { case: case("empty section name", format!("{HEAD}[]\n")), systemd: &[], ours: &[6] },
        Accepted {
            case: case("bracket in a section name", format!("{HEAD}[Unit]]\n")),
            systemd: &[],
            ours: &[6],
        },
    ]
}

/// Cases the cross-check once found our parsers getting wrong, kept so they stay right.
fn fixed_cases() -> Vec<Case> {
    vec![
        // systemd refuses the whole file at an invalid section header; the settings after it go
        // nowhere (they are not attached to the previous section).
        case("settings after an invalid section header", "[Unit\nDescription=x\n"),
        // A lone `\r` ends a line for systemd (`read_line`); ours only knows `\n` and `\r\n`,
        // so the whole file reads as one line here.
        case("lone CR line breaks", "[Service]\rExecStart=/bin/true\rnoequals\r"),
        // systemd strips only " \t\n\r"; Rust's `trim` also strips form feed, vertical tab and
        // Unicode spaces. A no-break space before `#` is not a comment to systemd.
        case("no-break space before a comment", format!("{HEAD}\u{a0}# comment\n")),
        case("form feed line", format!("{HEAD}\u{c}\n")),
        // systemd refuses section names with control characters, quotes or backslashes.
        case("quote in a section name", "[Ser\"vice]\nExecStart=/bin/true\n"),
        case("control character in a section name", "[Ser\u{1}vice]\nExecStart=/bin/true\n"),
        case("backslash in a section name", "[Ser\\vice]\nExecStart=/bin/true\n"),
        // systemd's `\u` takes any non-zero value (surrogates included), while `\U` must be a
        // valid Unicode character (no surrogates, no U+FFFE/U+FFFF, no U+FDD0..U+FDEF).
        case("surrogate in a \\u escape", "[Service]\nExecStart=/bin/echo \\uD800\n"),
        case("non-character in a \\U escape", "[Service]\nExecStart=/bin/echo \\U0000FFFE\n"),
    ]
}

#[test]
fn parsers_report_the_lines_systemd_reports() {
    let Some(analyze) = systemd_analyze() else { return };
    let mut cases = agreeing_cases();
    cases.extend(fixed_cases());
    let results = run_all(&analyze, &cases);
    let mut mismatches = Vec::new();
    for (case, systemd) in cases.iter().zip(&results) {
        let ours = our_lines(&case.text);
        if systemd != &ours {
            mismatches.push(format!(
                "{}: systemd reports lines {systemd:?}, we report {ours:?}\n  text: {:?}",
                case.name,
                shorten(&case.text)
            ));
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} cases differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches.join("\n")
    );
    // The table must exercise errors, not only clean files: at least most cases report something.
    let with_errors = results.iter().filter(|r| !r.is_empty()).count();
    assert!(with_errors >= cases.len() * 2 / 3, "only {with_errors} cases have syntax errors");
}

#[test]
fn accepted_differences_stay_as_documented() {
    let Some(analyze) = systemd_analyze() else { return };
    let accepted = accepted_differences();
    let cases: Vec<Case> = accepted.iter().map(|a| case(a.case.name, a.case.text.clone())).collect();
    let results = run_all(&analyze, &cases);
    for (a, systemd) in accepted.iter().zip(&results) {
        let ours = our_lines(&a.case.text);
        let want_systemd: BTreeSet<u32> = a.systemd.iter().copied().collect();
        let want_ours: BTreeSet<u32> = a.ours.iter().copied().collect();
        assert_eq!(
            systemd, &want_systemd,
            "{}: systemd no longer reports what the comment says",
            a.case.name
        );
        assert_eq!(ours, want_ours, "{}: our parsers no longer report what the comment says", a.case.name);
        assert_ne!(
            want_systemd, want_ours,
            "{}: not a difference any more; move it to the agreeing cases",
            a.case.name
        );
    }
}

/// The mapping itself, checked without systemd.
#[test]
fn report_lines_follow_systemd_numbering() {
    let text = "a\nb \\\n# c\n d \\\ne\r\nf\rg \\";
    let lines: Vec<(&str, u32)> = report_lines(text).into_iter().map(|(r, n)| (&text[r], n)).collect();
    assert_eq!(
        lines,
        vec![
            ("a\n", 1),
            ("b \\\n", 5),
            ("# c\n", 3),
            (" d \\\n", 5),
            ("e\r\n", 5),
            ("f\r", 6),
            // The file ends inside a continuation: one past the last line read.
            ("g \\", 8),
        ]
    );
    assert_eq!(line_of(&report_lines(text), 3), 5);
    assert_eq!(line_of(&report_lines(text), text.len()), 8);
    let parsed = parse_systemd_output(
        Path::new("/tmp/x/t.service"),
        "/tmp/x/t.service:3: Missing '=', ignoring line.\n\
         /tmp/x/t.service:4: Unknown key 'A' in section [Service], ignoring.\n\
         /tmp/x/t.service:12: Unbalanced quoting, ignoring: \"x\"\n\
         Unit t.service failed to load properly, please adjust/correct and reload service manager: No buffer space available\n",
    );
    assert_eq!(parsed, BTreeSet::from([0, 3, 12]));
}

/// The syntax lines our parsers report, numbered as systemd numbers them.
fn our_lines(text: &str) -> BTreeSet<u32> {
    let lines = report_lines(text);
    let parsed = unit::parse(text);
    let mut out = BTreeSet::new();
    for e in &parsed.errors {
        // systemd gives up on the file without a line number: see FILE_TOO_LONG.
        out.insert(if e.message.contains("longer than") {
            0
        } else {
            line_of(&lines, e.span.start as usize)
        });
    }
    for entry in parsed.sections("Service").flat_map(|s| s.entries.iter()) {
        if entry.key.starts_with("Exec") {
            for e in parse_exec(&entry.value).errors {
                out.insert(line_of(&lines, e.span.start as usize));
            }
        }
    }
    out
}

/// Each physical line, split as systemd's `read_line` splits (`\n`, `\r\n`, lone `\r`), with the
/// line number systemd gives an error in the logical line it belongs to.
fn report_lines(text: &str) -> Vec<(Range<usize>, u32)> {
    let bytes = text.as_bytes();
    let mut physical = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                physical.push((start..i + 1, start..i));
                start = i + 1;
            }
            b'\r' => {
                let end = if bytes.get(i + 1) == Some(&b'\n') { i + 2 } else { i + 1 };
                physical.push((start..end, start..i));
                start = end;
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    if start < bytes.len() {
        physical.push((start..bytes.len(), start..bytes.len()));
    }
    let mut out = Vec::new();
    let mut pending = Vec::new();
    let mut n = 0u32;
    for (whole, body) in physical {
        n += 1;
        let line = &text[body];
        if line.trim_start_matches([' ', '\t', '\n', '\r']).starts_with(['#', ';']) {
            out.push((whole, n));
            continue;
        }
        pending.push(whole);
        let trailing = line.bytes().rev().take_while(|b| *b == b'\\').count();
        if trailing % 2 == 1 {
            continue;
        }
        out.extend(pending.drain(..).map(|r| (r, n)));
    }
    out.extend(pending.drain(..).map(|r| (r, n + 1)));
    out.sort_by_key(|(r, _)| r.start);
    out
}

fn line_of(lines: &[(Range<usize>, u32)], offset: usize) -> u32 {
    lines
        .iter()
        .find(|(r, _)| r.contains(&offset))
        .or(lines.last().filter(|(r, _)| r.end == offset))
        .map_or(1, |(_, n)| *n)
}

/// The path to run, or `None` (after a notice) when systemd is not installed outside CI.
fn systemd_analyze() -> Option<PathBuf> {
    match Command::new(SYSTEMD_ANALYZE).arg("--version").output() {
        Ok(out) if out.status.success() => Some(PathBuf::from(SYSTEMD_ANALYZE)),
        _ if std::env::var("CI").as_deref() == Ok("true") => panic!(
            "`{SYSTEMD_ANALYZE}` is not installed: install the `systemd` package (apt-get install systemd) \
             so that the unit parser can be cross-checked against systemd"
        ),
        _ => {
            eprintln!("notice: `{SYSTEMD_ANALYZE}` not found: systemd cross-check skipped");
            None
        }
    }
}

/// Runs systemd on every case in parallel; each case gets its own directory.
fn run_all(analyze: &Path, cases: &[Case]) -> Vec<BTreeSet<u32>> {
    std::thread::scope(|scope| {
        let handles: Vec<_> =
            cases.iter().enumerate().map(|(i, c)| scope.spawn(move || run_systemd(analyze, i, c))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn run_systemd(analyze: &Path, index: usize, case: &Case) -> BTreeSet<u32> {
    static RUN: AtomicUsize = AtomicUsize::new(0);
    let run = RUN.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("vic-lint-crosscheck-{}-{run}-{index}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("t.service");
    std::fs::write(&file, &case.text).unwrap();
    let out = Command::new(analyze)
        .args(["verify", "--man=no"])
        .arg(&file)
        .env("SYSTEMD_LOG_COLOR", "0")
        .env("SYSTEMD_LOG_LOCATION", "0")
        .env("SYSTEMD_LOG_TIME", "0")
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    parse_systemd_output(&file, &all)
}

/// The line numbers of the syntax messages in systemd's output; 0 for a file refused as too long.
fn parse_systemd_output(file: &Path, output: &str) -> BTreeSet<u32> {
    let prefix = format!("{}:", file.display());
    let mut lines = BTreeSet::new();
    for l in output.lines() {
        if l.contains(FILE_TOO_LONG) {
            lines.insert(0);
            continue;
        }
        let Some(rest) = l.strip_prefix(&prefix) else { continue };
        let Some((num, message)) = rest.split_once(':') else { continue };
        let Ok(num) = num.parse::<u32>() else { continue };
        if SYNTAX_MESSAGES.iter().any(|m| message.to_ascii_lowercase().contains(&m.to_ascii_lowercase())) {
            lines.insert(num);
        }
    }
    lines
}

fn shorten(text: &str) -> String {
    match text.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}
