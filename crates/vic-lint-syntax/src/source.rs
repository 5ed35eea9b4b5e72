use std::fmt;
use std::path::{Path, PathBuf};

use crate::span::{LineCol, Span};

/// Index of a file in the workspace's file table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// The largest file vic-lint reads. Component files are small; anything bigger is a mistake or
/// an attack, and reading it whole would only burn memory.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Why a file could not be turned into text. Each becomes a finding on that file; the run goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    Io(String),
    TooLarge {
        bytes: u64,
    },
    /// Byte offset of the first byte that is not UTF-8, with its line and column.
    InvalidUtf8 {
        offset: usize,
        line: u32,
        column: u32,
    },
    /// A NUL byte: the file is binary, not configuration.
    Binary {
        offset: usize,
        line: u32,
        column: u32,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Io(e) => write!(f, "cannot read the file: {e}"),
            LoadError::TooLarge { bytes } => write!(
                f,
                "the file is {bytes} bytes, more than the {MAX_FILE_BYTES} bytes vic-lint reads"
            ),
            LoadError::InvalidUtf8 { offset, line, column } => write!(
                f,
                "the file is not valid UTF-8 (byte {offset}, line {line}, column {column})"
            ),
            LoadError::Binary { offset, line, column } => write!(
                f,
                "the file contains a NUL byte (byte {offset}, line {line}, column {column}): it is binary, not text"
            ),
        }
    }
}

/// One file's text with its line index.
#[derive(Debug)]
pub struct SourceFile {
    pub id: FileId,
    /// The path as the user gave it (relative where possible); used in every output.
    pub path: String,
    pub fs_path: PathBuf,
    pub text: String,
    line_starts: Vec<u32>,
    /// Columns are then byte distances, not counts of characters: a one-line file with many
    /// findings costs each finding nothing, not the length of the line before it.
    ascii: bool,
}

impl SourceFile {
    pub fn new(id: FileId, path: String, fs_path: PathBuf, text: String) -> SourceFile {
        let line_starts = line_starts(&text);
        let ascii = text.is_ascii();
        SourceFile { id, path, fs_path, text, line_starts, ascii }
    }

    /// Reads a file with the size, UTF-8 and binary checks every parser relies on.
    pub fn load(id: FileId, path: String, fs_path: &Path) -> Result<SourceFile, LoadError> {
        let meta = std::fs::metadata(fs_path).map_err(|e| LoadError::Io(e.to_string()))?;
        if meta.len() > MAX_FILE_BYTES {
            return Err(LoadError::TooLarge { bytes: meta.len() });
        }
        let bytes = std::fs::read(fs_path).map_err(|e| LoadError::Io(e.to_string()))?;
        let text = decode(bytes)?;
        Ok(SourceFile::new(id, path, fs_path.to_path_buf(), text))
    }

    /// Reads a file for linting. A file that is not text still yields a `SourceFile` (its text
    /// made printable, so a snippet can show the bad byte) together with the reason and the
    /// span of the first offending character.
    pub fn load_lenient(id: FileId, path: String, fs_path: &Path) -> (SourceFile, Option<(LoadError, Span)>) {
        let empty = |p: String| SourceFile::new(id, p, fs_path.to_path_buf(), String::new());
        let bytes = match std::fs::metadata(fs_path) {
            Err(e) => return (empty(path), Some((LoadError::Io(e.to_string()), Span::empty(0)))),
            Ok(m) if m.len() > MAX_FILE_BYTES => {
                return (empty(path), Some((LoadError::TooLarge { bytes: m.len() }, Span::empty(0))))
            }
            Ok(_) => match std::fs::read(fs_path) {
                Ok(b) => b,
                Err(e) => return (empty(path), Some((LoadError::Io(e.to_string()), Span::empty(0)))),
            },
        };
        SourceFile::from_bytes_lenient(id, path, fs_path, bytes)
    }

    /// Bytes from anywhere (a file, an editor's buffer) under the same rules as a file on disk:
    /// too large, bad UTF-8 or binary gives the error and a printable text to point into.
    pub fn from_bytes_lenient(
        id: FileId,
        path: String,
        fs_path: &Path,
        bytes: Vec<u8>,
    ) -> (SourceFile, Option<(LoadError, Span)>) {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            let err = LoadError::TooLarge { bytes: bytes.len() as u64 };
            return (
                SourceFile::new(id, path, fs_path.to_path_buf(), String::new()),
                Some((err, Span::empty(0))),
            );
        }
        let printable = |b: &[u8]| -> String {
            String::from_utf8_lossy(b)
                .chars()
                .map(|c| if c.is_control() && !matches!(c, '\n' | '\t' | '\r') { '\u{fffd}' } else { c })
                .collect()
        };
        match decode(bytes.clone()) {
            Ok(text) => (SourceFile::new(id, path, fs_path.to_path_buf(), text), None),
            Err(err) => {
                let file = SourceFile::new(id, path, fs_path.to_path_buf(), printable(&bytes));
                let span = match &err {
                    LoadError::InvalidUtf8 { line, column, .. } | LoadError::Binary { line, column, .. } => {
                        let start = file.offset_of(LineCol { line: *line, column: *column });
                        let len =
                            file.text.get(start..).and_then(|t| t.chars().next()).map_or(0, char::len_utf8);
                        Span::new(start, start + len)
                    }
                    _ => Span::empty(0),
                };
                (file, Some((err, span)))
            }
        }
    }

    /// The byte offset of a line and column (both 1-based), clamped to the file.
    pub fn offset_of(&self, pos: LineCol) -> usize {
        let idx = (pos.line as usize).saturating_sub(1);
        let Some(start) = self.line_starts.get(idx).map(|s| *s as usize) else {
            return self.text.len();
        };
        let line = self.text.get(start..).unwrap_or("");
        let col = (pos.column as usize).saturating_sub(1);
        start + line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
    }

    pub fn line_col(&self, offset: u32) -> LineCol {
        let offset = offset.min(self.text.len() as u32);
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line).copied().unwrap_or(0) as usize;
        let end = floor_char_boundary(&self.text, offset as usize);
        let column = if self.ascii {
            end.saturating_sub(start)
        } else {
            self.text.get(start..end).map_or(0, |s| s.chars().count())
        };
        LineCol { line: line as u32 + 1, column: column as u32 + 1 }
    }

    /// Start and end (exclusive) positions of a span.
    pub fn span_lines(&self, span: Span) -> (LineCol, LineCol) {
        (self.line_col(span.start), self.line_col(span.end))
    }

    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.range()).unwrap_or("")
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The lines a span touches plus `before` and `after` lines around them: the index of the
    /// first (0-based) and their byte range. Snippets read this window, not the file from its
    /// start, so that each of many findings in a large file costs only its own lines.
    pub fn lines_around(&self, span: Span, before: usize, after: usize) -> (usize, std::ops::Range<usize>) {
        let line_of = |offset: u32| match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let first = line_of(span.start).saturating_sub(before);
        let last = line_of(span.end.max(span.start)).saturating_add(after);
        let start = self.line_starts.get(first).map_or(0, |s| *s as usize);
        let end = self.line_starts.get(last.saturating_add(1)).map_or(self.text.len(), |s| *s as usize);
        (first, start..end.max(start))
    }
}

fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0];
    starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i as u32 + 1));
    starts
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Turns raw bytes into text, or says where they stop being text.
pub fn decode(bytes: Vec<u8>) -> Result<String, LoadError> {
    let position = |bytes: &[u8], offset: usize| {
        let before = bytes.get(..offset).unwrap_or(bytes);
        let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
        let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |p| p + 1);
        let column =
            String::from_utf8_lossy(before.get(line_start..).unwrap_or(&[])).chars().count() as u32 + 1;
        (line, column)
    };
    if let Some(offset) = bytes.iter().position(|b| *b == 0) {
        let (line, column) = position(&bytes, offset);
        return Err(LoadError::Binary { offset, line, column });
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let (line, column) = position(e.as_bytes(), offset);
        LoadError::InvalidUtf8 { offset, line, column }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(FileId(0), "t".into(), PathBuf::from("t"), text.into())
    }

    #[test]
    fn line_col_counts_chars_and_lines() {
        let f = file("ab\nçd=x\n");
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // 'd' follows a two-byte 'ç': byte 5, column 2.
        assert_eq!(f.line_col(5), LineCol { line: 2, column: 2 });
        assert_eq!(f.line_col(9), LineCol { line: 3, column: 1 });
        assert_eq!(f.line_col(999), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn lenient_load_points_at_the_bad_byte() {
        let dir = std::env::temp_dir().join(format!("vic-lint-src-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("bad.service");
        std::fs::write(&p, b"[Unit]\nDescription=a\xff\x01b\n").unwrap();
        let (f, err) = SourceFile::load_lenient(FileId(0), "bad.service".into(), &p);
        let (err, span) = err.unwrap();
        assert!(matches!(err, LoadError::InvalidUtf8 { line: 2, column: 14, .. }));
        assert_eq!(f.slice(span), "\u{fffd}");
        assert_eq!(f.line_col(span.start), LineCol { line: 2, column: 14 });
        assert!(!f.text.contains('\u{1}'));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn decode_reports_the_first_bad_byte() {
        let err = decode(b"ok\nab\xffc".to_vec()).unwrap_err();
        assert_eq!(err, LoadError::InvalidUtf8 { offset: 5, line: 2, column: 3 });
        let err = decode(b"a\0".to_vec()).unwrap_err();
        assert_eq!(err, LoadError::Binary { offset: 1, line: 1, column: 2 });
    }
}
