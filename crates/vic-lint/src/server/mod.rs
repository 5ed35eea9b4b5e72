//! `vic-lint server`: the Language Server Protocol over stdin/stdout.
//!
//! Each open file is judged with its component, as `check` judges it: the folder `check` would
//! run in (see [`workspace::Workspace::root_of`]) is checked whole, with the unsaved buffers in
//! place of the disk, so that a drop-in, a `.env` or `vic-lint.toml` re-judges the files it
//! affects. Typing is debounced; opening and saving are judged at once; a code action or a hover
//! first settles any judgement still pending for its folder, so that it never answers from stale
//! findings.

mod actions;
mod convert;
mod workspace;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use lsp_server::{Connection, ExtractError, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as note, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, HoverProviderCapability,
    InitializeParams, InitializeResult, MessageType, PositionEncodingKind, PublishDiagnosticsParams,
    ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind,
    TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
};

use convert::Encoding;
use workspace::{Entry, Judged, Root, Workspace};

use crate::exit;

/// How long typing must pause before a folder is judged again.
const DEBOUNCE: Duration = Duration::from_millis(150);

pub fn run() -> u8 {
    let (connection, io) = Connection::stdio();
    let code = match serve(&connection) {
        Ok(()) => exit::CLEAN,
        Err(e) => {
            eprintln!("vic-lint server: {e}");
            exit::CANNOT_RUN
        }
    };
    // The writer thread ends when the last sender does.
    drop(connection);
    match io.join() {
        Ok(()) => code,
        Err(e) => {
            eprintln!("vic-lint server: {e}");
            exit::CANNOT_RUN
        }
    }
}

fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let enc = encoding(&params);
    let result = InitializeResult {
        capabilities: capabilities(enc),
        server_info: Some(ServerInfo {
            name: "vic-lint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let result = serde_json::to_value(result).map_err(|e| e.to_string())?;
    connection.initialize_finish(id, result).map_err(|e| e.to_string())?;
    let mut server = Server::new(connection, enc, folders(&params));
    server.main_loop()
}

fn encoding(params: &InitializeParams) -> Encoding {
    let offered = params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|o| o.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

fn capabilities(enc: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match enc {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            save: Some(TextDocumentSyncSaveOptions::Supported(true)),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

#[allow(deprecated)] // `rootUri` is what older clients (Neovim 0.7) send instead of folders.
fn folders(params: &InitializeParams) -> Vec<PathBuf> {
    let mut uris: Vec<&Url> = params.workspace_folders.iter().flatten().map(|f| &f.uri).collect();
    if uris.is_empty() {
        uris.extend(params.root_uri.as_ref());
    }
    uris.into_iter().filter_map(|u| u.to_file_path().ok()).collect()
}

struct Server<'a> {
    connection: &'a Connection,
    enc: Encoding,
    workspace: Workspace,
    /// Folders to judge again, and when.
    pending: HashMap<Root, Instant>,
    /// Findings by file, as last published.
    entries: HashMap<Url, Vec<Entry>>,
    /// The folder whose judgement last published each file, so that a new judgement clears
    /// only what it had said itself.
    published_by: HashMap<Url, Root>,
}

impl<'a> Server<'a> {
    fn new(connection: &'a Connection, enc: Encoding, folders: Vec<PathBuf>) -> Server<'a> {
        let mut workspace = Workspace::default();
        workspace.set_folders(folders);
        Server {
            connection,
            enc,
            workspace,
            pending: HashMap::new(),
            entries: HashMap::new(),
            published_by: HashMap::new(),
        }
    }

    fn main_loop(&mut self) -> Result<(), String> {
        loop {
            let next = self.pending.values().min().copied();
            let msg = match next {
                None => match self.connection.receiver.recv() {
                    Ok(m) => Some(m),
                    Err(_) => return Ok(()),
                },
                Some(at) => {
                    match self.connection.receiver.recv_timeout(at.saturating_duration_since(Instant::now()))
                    {
                        Ok(m) => Some(m),
                        Err(e) if e.is_timeout() => None,
                        Err(_) => return Ok(()),
                    }
                }
            };
            match msg {
                Some(Message::Request(r)) => {
                    if self.connection.handle_shutdown(&r).map_err(|e| e.to_string())? {
                        return Ok(());
                    }
                    self.request(r)?;
                }
                Some(Message::Notification(n)) => {
                    if n.method == note::Exit::METHOD {
                        return Ok(());
                    }
                    self.notification(n)?;
                }
                Some(Message::Response(_)) | None => {}
            }
            let now = Instant::now();
            let due: Vec<Root> =
                self.pending.iter().filter(|(_, at)| **at <= now).map(|(r, _)| r.clone()).collect();
            for root in due {
                self.judge(&root)?;
            }
        }
    }

    fn request(&mut self, r: Request) -> Result<(), String> {
        let id = r.id.clone();
        let response = match r.method.as_str() {
            // Only the document and the range matter: a client whose context is not quite the
            // protocol's (Neovim 0.7 sends diagnostics without ranges) is still answered.
            req::CodeActionRequest::METHOD => match lenient::<ActionParams>(r) {
                Ok(p) => {
                    self.settle(&p.text_document.uri)?;
                    let none = Vec::new();
                    let entries = self.entries.get(&p.text_document.uri).unwrap_or(&none);
                    ok(id, actions::code_actions(entries, &p.range))
                }
                Err(e) => invalid(id, e),
            },
            req::HoverRequest::METHOD => match params::<req::HoverRequest>(r) {
                Ok(p) => {
                    let uri = &p.text_document_position_params.text_document.uri;
                    self.settle(uri)?;
                    let none = Vec::new();
                    let entries = self.entries.get(uri).unwrap_or(&none);
                    ok(id, actions::hover(entries, p.text_document_position_params.position))
                }
                Err(e) => invalid(id, e),
            },
            _ => Response::new_err(
                id,
                lsp_server::ErrorCode::MethodNotFound as i32,
                format!("unknown method {}", r.method),
            ),
        };
        self.send(Message::Response(response))
    }

    fn notification(&mut self, n: Notification) -> Result<(), String> {
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let Ok(p) = notification_params::<note::DidOpenTextDocument>(n) else { return Ok(()) };
                let doc = p.text_document;
                self.buffer(&doc.uri, Some(doc.text), doc.version, false);
            }
            note::DidChangeTextDocument::METHOD => {
                let Ok(p) = notification_params::<note::DidChangeTextDocument>(n) else { return Ok(()) };
                // Full sync: the last change holds the whole text.
                let text = p.content_changes.into_iter().last().map(|c| c.text);
                self.buffer(&p.text_document.uri, text, p.text_document.version, true);
            }
            note::DidSaveTextDocument::METHOD => {
                let Ok(p) = notification_params::<note::DidSaveTextDocument>(n) else { return Ok(()) };
                let version = self.version(&p.text_document.uri);
                self.buffer(&p.text_document.uri, p.text, version, false);
            }
            note::DidCloseTextDocument::METHOD => {
                let Ok(p) = notification_params::<note::DidCloseTextDocument>(n) else { return Ok(()) };
                if let Ok(path) = p.text_document.uri.to_file_path() {
                    self.workspace.buffers.remove(&path);
                    self.workspace.versions.remove(&path);
                    let root = self.workspace.root_of(&path);
                    self.pending.insert(root, Instant::now());
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn version(&self, uri: &Url) -> i32 {
        uri.to_file_path().ok().and_then(|p| self.workspace.versions.get(&p).copied()).unwrap_or(0)
    }

    /// Records a buffer's text (None keeps what it had) and schedules its folder: at once, or
    /// once typing has paused.
    fn buffer(&mut self, uri: &Url, text: Option<String>, version: i32, debounce: bool) {
        // Only files have a component; an untitled buffer has nothing to be judged with.
        let Ok(path) = uri.to_file_path() else { return };
        if let Some(text) = text {
            self.workspace.buffers.insert(path.clone(), text);
        }
        self.workspace.versions.insert(path.clone(), version);
        let root = self.workspace.root_of(&path);
        let now = Instant::now();
        if debounce {
            self.pending.insert(root, now + DEBOUNCE);
        } else {
            let slot = self.pending.entry(root).or_insert(now);
            *slot = (*slot).min(now);
        }
    }

    /// Judges now the folder of `uri` if it waits for a judgement.
    fn settle(&mut self, uri: &Url) -> Result<(), String> {
        let Ok(path) = uri.to_file_path() else { return Ok(()) };
        let root = self.workspace.root_of(&path);
        if self.pending.contains_key(&root) {
            self.judge(&root)?;
        }
        Ok(())
    }

    fn judge(&mut self, root: &Root) -> Result<(), String> {
        self.pending.remove(root);
        match self.workspace.judge(root, self.enc) {
            Judged::Files(files) => {
                let stale: Vec<Url> = self
                    .published_by
                    .iter()
                    .filter(|(u, r)| *r == root && !files.contains_key(*u))
                    .map(|(u, _)| u.clone())
                    .collect();
                for uri in stale {
                    self.published_by.remove(&uri);
                    self.entries.remove(&uri);
                    self.publish(&uri, &[])?;
                }
                let open: HashSet<Url> = self.open_in(root);
                for uri in open.into_iter().filter(|u| !files.contains_key(u)) {
                    self.publish(&uri, &[])?;
                }
                for (uri, list) in files {
                    self.publish(&uri, &list)?;
                    self.published_by.insert(uri.clone(), root.clone());
                    self.entries.insert(uri, list);
                }
            }
            Judged::Config(uri, entry) => {
                let entry = *entry;
                self.publish(&uri, std::slice::from_ref(&entry))?;
                self.published_by.insert(uri.clone(), root.clone());
                self.entries.insert(uri, vec![entry]);
            }
            Judged::Message(message) => {
                let params = ShowMessageParams { typ: MessageType::WARNING, message };
                self.notify::<note::ShowMessage>(params)?;
            }
        }
        Ok(())
    }

    fn open_in(&self, root: &Root) -> HashSet<Url> {
        self.workspace
            .buffers
            .keys()
            .filter(|p| p.starts_with(&root.dir) && self.workspace.root_of(p) == *root)
            .filter_map(|p| Url::from_file_path(p).ok())
            .collect()
    }

    fn publish(&self, uri: &Url, entries: &[Entry]) -> Result<(), String> {
        let version = uri.to_file_path().ok().and_then(|p| self.workspace.versions.get(&p).copied());
        let diagnostics = entries.iter().map(|e| e.diagnostic.clone()).collect();
        self.notify::<note::PublishDiagnostics>(PublishDiagnosticsParams {
            uri: uri.clone(),
            diagnostics,
            version,
        })
    }

    fn notify<N: note::Notification>(&self, params: N::Params) -> Result<(), String> {
        self.send(Message::Notification(Notification::new(N::METHOD.to_string(), params)))
    }

    fn send(&self, msg: Message) -> Result<(), String> {
        self.connection.sender.send(msg).map_err(|e| format!("the client went away: {e}"))
    }
}

fn params<R: req::Request>(r: Request) -> Result<R::Params, String> {
    r.extract::<R::Params>(R::METHOD).map(|(_, p)| p).map_err(extract_error)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionParams {
    text_document: lsp_types::TextDocumentIdentifier,
    range: lsp_types::Range,
}

fn lenient<P: serde::de::DeserializeOwned>(r: Request) -> Result<P, String> {
    serde_json::from_value(r.params).map_err(|e| format!("bad parameters for {}: {e}", r.method))
}

fn notification_params<N: note::Notification>(n: Notification) -> Result<N::Params, String> {
    n.extract::<N::Params>(N::METHOD).map_err(extract_error)
}

fn extract_error<T: std::fmt::Debug>(e: ExtractError<T>) -> String {
    match e {
        ExtractError::JsonError { method, error } => format!("bad parameters for {method}: {error}"),
        ExtractError::MethodMismatch(m) => format!("unexpected message {m:?}"),
    }
}

fn ok(id: RequestId, result: impl serde::Serialize) -> Response {
    match serde_json::to_value(result) {
        Ok(v) => Response { id, result: Some(v), error: None },
        Err(e) => Response::new_err(id, lsp_server::ErrorCode::InternalError as i32, e.to_string()),
    }
}

fn invalid(id: RequestId, message: String) -> Response {
    Response::new_err(id, lsp_server::ErrorCode::InvalidParams as i32, message)
}
