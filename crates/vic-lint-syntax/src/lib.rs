//! Spanned parsers for the files vic-lint checks.
//!
//! Every parser here keeps byte offsets into the original file, so that a finding can point at
//! the exact token even when the value was assembled from continuation lines, quotes or escapes.

pub mod command;
pub mod docker;
pub mod exec;
pub mod markdown;
pub mod shell;
pub mod source;
pub mod span;
pub mod text;
pub mod unit;
pub mod version;
pub mod yaml;

pub use source::{FileId, LoadError, SourceFile};
pub use span::{LineCol, Span};
pub use text::SpannedText;
