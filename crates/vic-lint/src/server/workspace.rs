//! The editor's view of the files: open buffers, the folder each file is judged in, and one
//! judgement of such a folder, as `check` would give it, with the buffers in place of the disk.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use lsp_types::{Diagnostic, DiagnosticSeverity, Position, Range, TextEdit, Url, WorkspaceEdit};
use vic_lint_core::config::{self, ConfigError, Loaded, FILE_NAME};
use vic_lint_core::discover::FileKind;
use vic_lint_core::RuleMeta;
use vic_lint_rules::{CheckOptions, Overlay, Report};
use vic_lint_syntax::source::MAX_FILE_BYTES;
use vic_lint_syntax::{FileId, SourceFile, Span};

use super::convert::{self, Encoding};

/// Where a file is judged: the folder `check` would be run in, and its configuration.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Root {
    pub dir: PathBuf,
    pub config: Option<PathBuf>,
}

#[derive(Default)]
pub struct Workspace {
    /// Open buffers by absolute path: their text wins over the disk.
    pub buffers: Overlay,
    pub versions: HashMap<PathBuf, i32>,
    /// The workspace folders the client named, longest first.
    pub folders: Vec<PathBuf>,
}

/// One finding as the editor sees it, kept for code actions and hover.
pub struct Entry {
    pub diagnostic: Diagnostic,
    pub meta: Option<&'static RuleMeta>,
    pub fix: Option<Action>,
    pub suppress: Option<Action>,
}

pub struct Action {
    pub title: String,
    pub safe: bool,
    pub edit: WorkspaceEdit,
}

pub enum Judged {
    /// Diagnostics by file: every file with findings, and every file that had some before must
    /// be published.
    Files(HashMap<Url, Vec<Entry>>),
    /// The configuration is wrong: one diagnostic on it, the other files keep what they had.
    Config(Url, Box<Entry>),
    /// Something the user must hear about that is no file's diagnostic.
    Message(String),
}

impl Workspace {
    pub fn set_folders(&mut self, mut folders: Vec<PathBuf>) {
        folders.sort_by_key(|f| std::cmp::Reverse(f.as_os_str().len()));
        self.folders = folders;
    }

    /// The nearest folder with a `vic-lint.toml` (on disk or open), as `check` finds it; else the
    /// workspace folder that holds the file; else the file's own folder (the unit's, for a
    /// drop-in).
    pub fn root_of(&self, path: &Path) -> Root {
        let start = path.parent().unwrap_or(path);
        for dir in start.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if self.buffers.contains_key(&candidate) || candidate.is_file() {
                return Root { dir: dir.to_path_buf(), config: Some(candidate) };
            }
        }
        if let Some(folder) = self.folders.iter().find(|f| path.starts_with(f)) {
            return Root { dir: folder.clone(), config: None };
        }
        let dir = match start.file_name() {
            Some(n) if n.to_string_lossy().ends_with(".d") => start.parent().unwrap_or(start),
            _ => start,
        };
        Root { dir: dir.to_path_buf(), config: None }
    }

    /// Checks a root. A panic inside the engine becomes a message: the server stays up.
    pub fn judge(&self, root: &Root, enc: Encoding) -> Judged {
        match catch_unwind(AssertUnwindSafe(|| self.judge_inner(root, enc))) {
            Ok(j) => j,
            Err(_) => Judged::Message(format!(
                "vic-lint could not check {}: internal error (please report it, with the files)",
                root.dir.display()
            )),
        }
    }

    fn judge_inner(&self, root: &Root, enc: Encoding) -> Judged {
        let loaded = match self.config(root) {
            Ok(l) => l,
            Err(e) => return config_error(&e, enc),
        };
        let paths = [root.dir.clone()];
        let opts = CheckOptions { paths: &paths, config: &loaded, overlay: Some(&self.buffers) };
        let report = match vic_lint_rules::check(&opts) {
            Ok(r) => r,
            Err(vic_lint_rules::engine::CheckError::Config(e)) => return config_error(&e, enc),
            Err(vic_lint_rules::engine::CheckError::Usage(m)) => return Judged::Message(m),
        };
        let inline_must = loaded.config.suppressions.inline_must;
        let mut out: HashMap<Url, Vec<Entry>> = HashMap::new();
        for f in &report.findings {
            let Some(file) = report.file(f.file) else { continue };
            let Some(uri) = convert::uri(&file.fs_path) else { continue };
            let diagnostic = convert::diagnostic(&report, file, f, enc);
            let fix = f.fix.as_deref().and_then(|fix| {
                let edit = convert::fix_edit(&report, f, enc)?;
                let title = if fix.safe {
                    format!("{}: {}", f.meta.code, fix.description)
                } else {
                    format!("{}: {} (unsafe: review the change)", f.meta.code, fix.description)
                };
                Some(Action { title, safe: fix.safe, edit })
            });
            let may_suppress = inline_must || f.meta.level.family() != "MUST";
            let suppress =
                may_suppress.then(|| suppression(&report, file, f.file, f.span, f.meta.code, &uri, enc));
            out.entry(uri).or_default().push(Entry {
                diagnostic,
                meta: Some(f.meta),
                fix,
                suppress: suppress.flatten(),
            });
        }
        Judged::Files(out)
    }

    fn config(&self, root: &Root) -> Result<Loaded, ConfigError> {
        let Some(path) = &root.config else {
            return Ok(Loaded { base_dir: root.dir.clone(), ..Loaded::default() });
        };
        match self.buffers.get(path) {
            Some(text) if text.len() as u64 > MAX_FILE_BYTES => Err(ConfigError {
                path: path.clone(),
                text: String::new(),
                span: None,
                message: format!("the file is more than the {MAX_FILE_BYTES} bytes vic-lint reads"),
            }),
            Some(text) => config::load_text(path, text.clone()),
            None => config::load_file(path),
        }
    }
}

fn config_error(e: &ConfigError, enc: Encoding) -> Judged {
    let Some(uri) = convert::uri(&e.path) else { return Judged::Message(e.message.clone()) };
    let file = SourceFile::new(FileId(0), String::new(), e.path.clone(), e.text.clone());
    let range = e.span.map_or_else(Range::default, |s| convert::range(&file, s, enc));
    let diagnostic = Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::ERROR),
        source: Some("vic-lint".into()),
        message: format!("invalid configuration: {}", e.message),
        ..Diagnostic::default()
    };
    Judged::Config(uri, Box::new(Entry { diagnostic, meta: None, fix: None, suppress: None }))
}

/// `vic-lint: ignore[CODE] <reason>` on its own line just above the finding, indented like it,
/// with the file's own line end. None where the file kind has no comments.
fn suppression(
    report: &Report,
    file: &SourceFile,
    id: FileId,
    span: Span,
    code: &str,
    uri: &Url,
    enc: Encoding,
) -> Option<Action> {
    let kind: Option<FileKind> = report.kinds.get(id.0 as usize).copied().flatten();
    let directive = vic_lint_rules::suppress::directive_line(kind, code, "<reason>")?;
    let at = convert::position(file, span.start as usize, enc);
    let line_start = file.offset_of(vic_lint_syntax::LineCol { line: at.line + 1, column: 1 });
    let rest = file.text.get(line_start..).unwrap_or("");
    let indent: String = rest.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
    let eol = if file.text.contains("\r\n") { "\r\n" } else { "\n" };
    let insert = Position { line: at.line, character: 0 };
    let edit = TextEdit {
        range: Range { start: insert, end: insert },
        new_text: format!("{indent}{directive}{eol}"),
    };
    Some(Action {
        title: format!("{code}: suppress here, with a reason"),
        safe: false,
        edit: WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..WorkspaceEdit::default()
        },
    })
}
