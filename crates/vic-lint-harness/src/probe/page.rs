//! What a UI's answer tells its user: the page's visible text, a stack trace, a sign of failure.

use std::sync::LazyLock;

use regex::Regex;

use super::Outcome;

/// How one probe of the UI is judged (RUN-2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// T018: refused, reset, timed out, or the container is gone.
    NoAnswer(String),
    /// T019: what the user got instead of a page (`an empty page`, `a bare stack trace`).
    Bare(&'static str),
    /// T020: a success page on degraded data, with nothing about the failure.
    HidesFailure {
        status: u16,
    },
    /// T021: on healthy data, an error status or error words.
    ErrorWhenHealthy(String),
}

/// `pattern` is what counts as a sign of failure in the page's visible text.
pub fn judge(outcome: &Outcome, degraded: bool, pattern: &Regex) -> Verdict {
    let (status, body) = match outcome {
        Outcome::NoAnswer(why) => return Verdict::NoAnswer(why.clone()),
        Outcome::Answer { status, body, .. } => (*status, body.as_str()),
    };
    if stack_trace(body) {
        return Verdict::Bare("a bare stack trace");
    }
    let text = visible_text(body);
    if text.trim().is_empty() {
        return Verdict::Bare("an empty page");
    }
    let ok_status = (200..400).contains(&status);
    let sign = pattern.find(&text).map(|m| m.as_str().to_string());
    match (degraded, ok_status, sign) {
        (true, true, None) => Verdict::HidesFailure { status },
        (true, _, _) => Verdict::Pass,
        (false, false, _) => Verdict::ErrorWhenHealthy(format!("status {status}")),
        (false, true, Some(word)) => Verdict::ErrorWhenHealthy(format!("the words \"{word}\"")),
        (false, true, None) => Verdict::Pass,
    }
}

/// Markers that one line of a trace is enough to recognise.
static TRACE_HEAD: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?m)^\s*(Traceback \(most recent call last\):|goroutine \d+ \[[a-z ]+\]:|thread '[^']*' panicked at|Exception in thread )",
    )
    .ok()
});

/// Frame lines; two of them make a trace.
static TRACE_FRAME: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)^\s*(at [\w$.<>/-]+\(.*\)\s*$|at .+:\d+:\d+\)?\s*$|File ".+", line \d+|from .+:\d+:in |\S+\.go:\d+ \+0x[0-9a-f]+$)"#,
    )
    .ok()
});

fn stack_trace(body: &str) -> bool {
    if TRACE_HEAD.as_ref().is_some_and(|re| re.is_match(body)) {
        return true;
    }
    TRACE_FRAME.as_ref().is_some_and(|re| re.find_iter(body).nth(1).is_some())
}

/// The text a browser shows: tags, comments, scripts and styles removed, entities left as they
/// are (they do not change whether a sign of failure is there). One pass over the page.
pub fn visible_text(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let lower = body.to_ascii_lowercase();
    let mut i = 0;
    while let Some(rest) = body.get(i..) {
        let Some(lt) = rest.find('<') else {
            out.push_str(rest);
            break;
        };
        out.push_str(rest.get(..lt).unwrap_or_default());
        let at = i + lt;
        let tail = lower.get(at..).unwrap_or_default();
        let end = if tail.starts_with("<!--") {
            tail.find("-->").map(|e| e + 3)
        } else if let Some(block) = ["<script", "<style"].iter().find(|b| tail.starts_with(**b)) {
            let close = format!("</{}", block.trim_start_matches('<'));
            tail.find(&close).and_then(|e| tail.get(e..).and_then(|t| t.find('>')).map(|g| e + g + 1))
        } else {
            tail.find('>').map(|e| e + 1)
        };
        match end {
            Some(len) => {
                out.push(' ');
                i = at + len;
            }
            // An unclosed tag shows nothing more.
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, body: &str) -> Outcome {
        Outcome::Answer { status, body: body.into(), certificate: None }
    }

    fn pattern() -> Regex {
        Regex::new(crate::manifest::DEFAULT_UI_ERROR_PATTERN)
            .unwrap_or_else(|_| Regex::new("x").unwrap_or_else(|_| unreachable!()))
    }

    #[test]
    fn degraded_pages() {
        let p = pattern();
        let page =
            "<html><head><style>.error{}</style></head><body><h1>Reference is unavailable</h1></body></html>";
        assert_eq!(judge(&answer(503, page), true, &p), Verdict::Pass);
        assert_eq!(judge(&answer(200, page), true, &p), Verdict::Pass, "a 200 page that says so");
        let ok = "<html><body><h1>OK</h1><script>if (error) {}</script></body></html>";
        assert_eq!(judge(&answer(200, ok), true, &p), Verdict::HidesFailure { status: 200 });
        assert_eq!(judge(&answer(503, "  \n"), true, &p), Verdict::Bare("an empty page"));
        assert_eq!(
            judge(&answer(500, "<html><body></body></html>"), true, &p),
            Verdict::Bare("an empty page")
        );
        let java = "java.lang.IllegalStateException: no cert\n\tat com.example.Server.start(Server.java:42)\n\tat com.example.Main.main(Main.java:7)\n";
        assert_eq!(judge(&answer(500, java), true, &p), Verdict::Bare("a bare stack trace"));
        let py = "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n";
        assert_eq!(judge(&answer(500, py), true, &p), Verdict::Bare("a bare stack trace"));
        let go = "panic: open cert\n\ngoroutine 1 [running]:\nmain.main()\n\t/src/main.go:12 +0x1d\n";
        assert_eq!(judge(&answer(500, go), true, &p), Verdict::Bare("a bare stack trace"));
        let refused = Outcome::NoAnswer("connection refused".into());
        assert_eq!(judge(&refused, true, &p), Verdict::NoAnswer("connection refused".into()));
    }

    #[test]
    fn healthy_pages() {
        let p = pattern();
        let ok = "<html><body><h1>Reference</h1><p>3 projects</p><script>onerror = 1; // error</script></body></html>";
        assert_eq!(judge(&answer(200, ok), false, &p), Verdict::Pass);
        assert_eq!(judge(&answer(302, "<a href=/login>login</a>"), false, &p), Verdict::Pass);
        assert_eq!(
            judge(&answer(500, "Internal"), false, &p),
            Verdict::ErrorWhenHealthy("status 500".into())
        );
        let says = "<p>Service unavailable</p>";
        assert_eq!(
            judge(&answer(200, says), false, &p),
            Verdict::ErrorWhenHealthy("the words \"unavailable\"".into())
        );
    }

    #[test]
    fn visible_text_drops_markup_in_one_pass() {
        assert_eq!(visible_text("a<!-- error -->b<b>c</b>").split_whitespace().collect::<String>(), "abc");
        assert_eq!(visible_text("x<SCRIPT>error()</SCRIPT>y").split_whitespace().collect::<String>(), "xy");
        assert_eq!(visible_text("keep<unclosed error").trim(), "keep");
        assert_eq!(visible_text("é<p>ü"), "é ü");
        let big = "<p>row</p>".repeat(50_000);
        assert_eq!(visible_text(&big).matches("row").count(), 50_000);
    }
}
