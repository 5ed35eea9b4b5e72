//! `vic-lint server` at the protocol level: the built binary over real pipes, framed JSON-RPC
//! both ways, on a copy of the reference component.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Long enough for a debug build on a loaded CI machine; no assertion is about speed.
const WAIT: Duration = Duration::from_secs(30);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    next_id: i64,
    /// Notifications seen while waiting for something else, in order.
    backlog: Vec<Value>,
}

impl Client {
    fn start(root: &Path, capabilities: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vic-lint"))
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.unwrap()];
                r.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice::<Value>(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut c = Client { child, stdin, incoming, next_id: 0, backlog: Vec::new() };
        let folder = url(root);
        let init = c.request(
            "initialize",
            json!({"processId": null, "rootUri": folder, "capabilities": capabilities,
                   "workspaceFolders": [{"uri": folder, "name": "ref"}]}),
        );
        assert_eq!(init["result"]["serverInfo"]["name"], "vic-lint");
        c.notify("initialized", json!({}));
        c
    }

    fn send(&mut self, msg: Value) {
        let body = msg.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{}", body.len(), body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&mut self, deadline: Instant) -> Value {
        let left = deadline.saturating_duration_since(Instant::now());
        self.incoming.recv_timeout(left).expect("the server did not answer in time")
    }

    /// Sends a request and returns its response; notifications that arrive first are kept.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + WAIT;
        loop {
            let msg = self.next(deadline);
            if msg["id"] == id && msg.get("method").is_none() {
                return msg;
            }
            self.backlog.push(msg);
        }
    }

    /// The next diagnostics published for `uri` (from the backlog first).
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let is_for =
            |m: &Value| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri;
        if let Some(i) = self.backlog.iter().position(is_for) {
            return self.backlog.remove(i)["params"]["diagnostics"].as_array().unwrap().clone();
        }
        let deadline = Instant::now() + WAIT;
        loop {
            let msg = self.next(deadline);
            if is_for(&msg) {
                return msg["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.backlog.push(msg);
        }
    }

    /// Diagnostics for `uri` until `done` holds for them (judgements may be published in between).
    fn diagnostics_until(&mut self, uri: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        loop {
            let d = self.diagnostics(uri);
            if done(&d) {
                return d;
            }
        }
    }

    fn open(&mut self, path: &Path, text: &str) {
        let item = json!({"uri": url(path), "languageId": "systemd", "version": 1, "text": text});
        self.notify("textDocument/didOpen", json!({"textDocument": item}));
    }

    fn change(&mut self, path: &Path, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": url(path), "version": version}, "contentChanges": [{"text": text}]}),
        );
    }

    fn shutdown(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r["error"].is_null(), "{r}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "the server exited with {status}");
                return;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn codes(diags: &[Value]) -> Vec<String> {
    diags.iter().map(|d| d["code"].as_str().unwrap_or("").to_string()).collect()
}

/// A copy of the reference component, so that the buffers and the disk can differ.
fn reference() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap().join("reference");
    support::copy_dir(&support::repo_root().join("fixtures/reference"), &dir);
    (tmp, dir)
}

fn apply(text: &str, edit: &Value) -> String {
    // One-line edits are all this test needs: the line's start, then the columns (ASCII files).
    let line_start = |l: u64| text.split_inclusive('\n').take(l as usize).map(str::len).sum::<usize>();
    let pos = |p: &Value| line_start(p["line"].as_u64().unwrap()) + p["character"].as_u64().unwrap() as usize;
    let (s, e) = (pos(&edit["range"]["start"]), pos(&edit["range"]["end"]));
    format!("{}{}{}", &text[..s], edit["newText"].as_str().unwrap(), &text[e..])
}

fn only_edit(action: &Value, uri: &str) -> Value {
    let edits = action["edit"]["changes"][uri].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{action}");
    edits[0].clone()
}

#[test]
fn a_unit_is_judged_on_open_fixed_by_a_code_action_and_explained_on_hover() {
    let (_tmp, dir) = reference();
    let unit = dir.join("reference.service");
    let uri = url(&unit);
    let good = std::fs::read_to_string(&unit).unwrap();
    let bad = good.replace("WantedBy=vic-appliance.target", "WantedBy=multi-user.target");
    let mut c = Client::start(&dir, json!({}));
    c.open(&unit, &bad);
    let diags = c.diagnostics(&uri);
    assert_eq!(codes(&diags), ["U002"], "{diags:?}");
    let d = &diags[0];
    // Line 23 of the file, `multi-user.target` after `WantedBy=`: 0-based in LSP.
    assert_eq!(
        d["range"],
        json!({"start": {"line": 22, "character": 9}, "end": {"line": 22, "character": 26}})
    );
    assert_eq!(d["severity"], 1, "a MUST is an error");
    assert_eq!(d["source"], "vic-lint");
    assert!(d["codeDescription"]["href"].as_str().unwrap().ends_with("/rules/U002.md"), "{d}");
    assert!(d["message"].as_str().unwrap().starts_with("SVC-9: "), "{d}");

    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let actions = actions["result"].as_array().unwrap().clone();
    // A MUST cannot be suppressed inline without `inline-must`: only the fix is offered.
    assert_eq!(actions.len(), 1, "{actions:?}");
    let fix = &actions[0];
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true, "a safe fix is the preferred action");
    assert!(!fix["title"].as_str().unwrap().contains("unsafe"), "{fix}");
    let fixed = apply(&bad, &only_edit(fix, &uri));
    assert!(fixed.contains("WantedBy=multi-user.target vic-appliance.target\n"), "{fixed}");

    let hover = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 22, "character": 12}}),
    );
    let page = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(page.starts_with("# U002 missing-wanted-by-appliance-target"), "{page}");
    assert!(page.contains("## Good"), "the hover shows the good example: {page}");
    let away = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 0}}),
    );
    assert!(away["result"].is_null(), "no finding there, no hover: {away}");

    c.change(&unit, 2, &fixed);
    assert_eq!(c.diagnostics_until(&uri, |d| d.is_empty()), Vec::<Value>::new());
    c.shutdown();
}

#[test]
fn a_should_finding_offers_a_suppression_that_silences_it() {
    let (_tmp, dir) = reference();
    let unit = dir.join("reference.service");
    let uri = url(&unit);
    let good = std::fs::read_to_string(&unit).unwrap();
    let bad = good.replace(
        "  --cap-drop=ALL --user 1000:1000 \\\n",
        "  --cap-drop=ALL --user 1000:1000 \\\n  --privileged \\\n",
    );
    let mut c = Client::start(&dir, json!({}));
    c.open(&unit, &bad);
    let diags = c.diagnostics(&uri);
    assert_eq!(codes(&diags), ["K001"]);
    assert_eq!(diags[0]["severity"], 2, "a SHOULD is a warning");
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diags[0]["range"], "context": {"diagnostics": diags}}),
    );
    let actions = actions["result"].as_array().unwrap().clone();
    let suppress = actions.iter().find(|a| a["title"].as_str().unwrap().contains("suppress")).unwrap();
    let edit = only_edit(suppress, &uri);
    assert_eq!(edit["newText"], "  # vic-lint: ignore[K001] <reason>\n");
    assert_eq!(edit["range"]["start"], json!({"line": 14, "character": 0}));
    let silenced = apply(&bad, &edit);
    c.change(&unit, 2, &silenced);
    assert_eq!(
        c.diagnostics_until(&uri, |d| d.is_empty()),
        Vec::<Value>::new(),
        "silenced, and no S001/S002"
    );
    c.shutdown();
}

#[test]
fn a_drop_in_buffer_rejudges_its_unit_and_closing_it_goes_back_to_the_disk() {
    let (_tmp, dir) = reference();
    let unit = dir.join("reference.service");
    let drop_in = dir.join("reference.service.d/10-restart.conf");
    let text = std::fs::read_to_string(&unit).unwrap();
    std::fs::write(&unit, text.replace("WantedBy=vic-appliance.target", "WantedBy=multi-user.target"))
        .unwrap();
    let mut c = Client::start(&dir, json!({}));
    c.open(&unit, &std::fs::read_to_string(&unit).unwrap());
    assert_eq!(codes(&c.diagnostics(&url(&unit))), ["U002"]);
    // The drop-in, unsaved, enables the unit through the appliance target: U002 is answered.
    let on_disk = std::fs::read_to_string(&drop_in).unwrap();
    c.open(&drop_in, &on_disk);
    c.change(&drop_in, 2, &format!("{on_disk}[Install]\nWantedBy=vic-appliance.target\n"));
    assert_eq!(c.diagnostics_until(&url(&unit), |d| d.is_empty()), Vec::<Value>::new());
    // Now it clears `After=`: the finding is on the drop-in line that does it.
    c.change(&drop_in, 3, "[Unit]\nAfter=\n[Install]\nWantedBy=vic-appliance.target\n");
    let d = c.diagnostics_until(&url(&drop_in), |d| !d.is_empty());
    assert_eq!(codes(&d), ["U001"]);
    assert_eq!(d[0]["range"]["start"], json!({"line": 1, "character": 0}));
    // Closed unsaved, the drop-in is the disk's again: U002 is back on the unit.
    c.notify("textDocument/didClose", json!({"textDocument": {"uri": url(&drop_in)}}));
    assert_eq!(codes(&c.diagnostics_until(&url(&unit), |d| !d.is_empty())), ["U002"]);
    assert_eq!(c.diagnostics_until(&url(&drop_in), |d| d.is_empty()), Vec::<Value>::new());
    c.shutdown();
}

#[test]
fn the_configuration_is_checked_and_a_change_to_it_rejudges_the_open_files() {
    let (_tmp, dir) = reference();
    let unit = dir.join("reference.service");
    let config = dir.join("vic-lint.toml");
    let bad = std::fs::read_to_string(&unit)
        .unwrap()
        .replace("WantedBy=vic-appliance.target", "WantedBy=multi-user.target");
    let mut c = Client::start(&dir, json!({}));
    c.open(&unit, &bad);
    assert_eq!(codes(&c.diagnostics(&url(&unit))), ["U002"]);
    let text = std::fs::read_to_string(&config).unwrap();
    c.open(&config, &text);
    c.change(&config, 2, &format!("{text}\n[rules]\nignore = [\"U002\", 5]\n"));
    let d = c.diagnostics_until(&url(&config), |d| !d.is_empty());
    assert_eq!(d.len(), 1);
    assert!(d[0]["message"].as_str().unwrap().starts_with("invalid configuration"), "{d:?}");
    assert_eq!(d[0]["range"]["start"]["line"].as_u64(), Some(text.lines().count() as u64 + 2), "{d:?}");
    c.change(&config, 3, &format!("{text}\n[rules]\nignore = [\"U002\"]\n"));
    assert_eq!(c.diagnostics_until(&url(&unit), |d| d.is_empty()), Vec::<Value>::new());
    assert_eq!(c.diagnostics_until(&url(&config), |d| d.is_empty()), Vec::<Value>::new());
    c.shutdown();
}

#[test]
fn hostile_buffers_get_a_finding_and_the_server_stays_up() {
    let (_tmp, dir) = reference();
    let unit = dir.join("reference.service");
    let uri = url(&unit);
    let mut c = Client::start(&dir, json!({}));
    c.open(&unit, "[Unit]\n\u{0}\u{1}\u{7f}binary");
    let d = c.diagnostics_until(&uri, |d| !d.is_empty());
    assert!(codes(&d).contains(&"E001".to_string()), "{d:?}");
    let huge = "#".repeat(9 * 1024 * 1024);
    c.change(&unit, 2, &huge);
    let d = c
        .diagnostics_until(&uri, |d| d.iter().any(|x| x["message"].as_str().unwrap_or("").contains("bytes")));
    assert!(codes(&d).contains(&"E001".to_string()), "{d:?}");
    let deep = format!("services:\n  x: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let compose = dir.join("docker-compose.yml");
    // Discovery walks the disk: a buffer is judged once its file exists.
    std::fs::write(&compose, "services: {}\n").unwrap();
    c.open(&compose, &deep);
    let d = c.diagnostics_until(&url(&compose), |d| !d.is_empty());
    assert!(!d.is_empty());
    // Still answering.
    let r = c.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
    );
    assert!(r["error"].is_null(), "{r}");
    c.shutdown();
}

#[test]
fn utf8_positions_are_used_when_the_client_offers_them() {
    let (_tmp, dir) = reference();
    let unit = dir.join("reference.service");
    let uri = url(&unit);
    let good = std::fs::read_to_string(&unit).unwrap();
    let bad = good
        .replace("Description=VIC appliance reference component", "Description=réf 😀")
        .replace("WantedBy=vic-appliance.target", "WantedBy=😀.target");
    for (caps, start, end) in
        [(json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}), 9, 20), (json!({}), 9, 18)]
    {
        let mut c = Client::start(&dir, caps);
        c.open(&unit, &bad);
        let d = c.diagnostics(&uri);
        let u002 = d.iter().find(|x| x["code"] == "U002").unwrap();
        assert_eq!(u002["range"]["start"]["character"], start);
        assert_eq!(u002["range"]["end"]["character"], end, "{u002}");
        c.shutdown();
    }
}

#[test]
fn unknown_requests_get_an_error_and_bad_parameters_do_not_end_the_server() {
    let (_tmp, dir) = reference();
    let mut c = Client::start(&dir, json!({}));
    let r = c.request("vic-lint/nonsense", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    let r = c.request("textDocument/hover", json!({"nope": 1}));
    assert_eq!(r["error"]["code"], -32602);
    c.notify("textDocument/didOpen", json!({"garbage": true}));
    let r = c.request("textDocument/codeAction", json!({"textDocument": {"uri": "untitled:1"},
        "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}}, "context": {"diagnostics": []}}));
    assert_eq!(r["result"], json!([]));
    c.shutdown();
}

#[test]
fn an_env_buffer_rejudges_the_compose_file_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().canonicalize().unwrap();
    let compose = dir.join("docker-compose.yml");
    let env = dir.join(".env");
    std::fs::write(&compose, "version: \"2.4\"\nservices:\n  web:\n    image: example/web:${TAG}\n").unwrap();
    std::fs::write(&env, "TAG=v1.0.0\n").unwrap();
    let mut c = Client::start(&dir, json!({}));
    c.open(&compose, &std::fs::read_to_string(&compose).unwrap());
    assert!(!codes(&c.diagnostics(&url(&compose))).contains(&"K014".to_string()));
    c.open(&env, "TAG=v1.0.0\n");
    c.change(&env, 2, "TAG=latest\n");
    let d = c.diagnostics_until(&url(&compose), |d| codes(d).contains(&"K014".to_string()));
    let k014 = d.iter().find(|x| x["code"] == "K014").unwrap();
    assert_eq!(
        k014["range"]["start"],
        json!({"line": 3, "character": 23}),
        "on the `${{TAG}}` it comes from"
    );
    c.shutdown();
}
