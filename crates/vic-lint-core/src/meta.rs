use std::fmt;
use std::str::FromStr;

/// Requirement level, as RFC 2119 words in the design document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Must,
    MustNot,
    Should,
    ShouldNot,
    May,
}

impl Level {
    pub const fn default_severity(self) -> Severity {
        match self {
            Level::Must | Level::MustNot => Severity::Error,
            Level::Should | Level::ShouldNot => Severity::Warning,
            Level::May => Severity::Info,
        }
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Must => "MUST",
            Level::MustNot => "MUST NOT",
            Level::Should => "SHOULD",
            Level::ShouldNot => "SHOULD NOT",
            Level::May => "MAY",
        }
    }

    /// The three-valued level of the JSON contract: `MUST NOT` is a `MUST`.
    pub const fn family(self) -> &'static str {
        match self {
            Level::Must | Level::MustNot => "MUST",
            Level::Should | Level::ShouldNot => "SHOULD",
            Level::May => "MAY",
        }
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Level, String> {
        Ok(match s.trim().to_ascii_uppercase().as_str() {
            "MUST" => Level::Must,
            "MUST NOT" => Level::MustNot,
            "SHOULD" => Level::Should,
            "SHOULD NOT" => Level::ShouldNot,
            "MAY" => Level::May,
            other => return Err(format!("unknown level `{other}`")),
        })
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Severity, String> {
        match s {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "info" => Ok(Severity::Info),
            other => Err(format!("unknown severity `{other}` (expected error, warning or info)")),
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of input a rule reads; also a selector in configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Syntax,
    Unit,
    Container,
    Compose,
    Version,
    Docs,
    Drone,
    Layout,
    /// Scenarios of `vic-lint test`, run in containers rather than on files.
    Harness,
}

impl Kind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Syntax => "syntax",
            Kind::Unit => "unit",
            Kind::Container => "container",
            Kind::Compose => "compose",
            Kind::Version => "version",
            Kind::Docs => "docs",
            Kind::Drone => "drone",
            Kind::Layout => "layout",
            Kind::Harness => "harness",
        }
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Kind, String> {
        match s {
            "syntax" => Ok(Kind::Syntax),
            "unit" => Ok(Kind::Unit),
            "container" => Ok(Kind::Container),
            "compose" => Ok(Kind::Compose),
            "version" => Ok(Kind::Version),
            "docs" => Ok(Kind::Docs),
            "drone" => Ok(Kind::Drone),
            "layout" => Ok(Kind::Layout),
            "harness" => Ok(Kind::Harness),
            other => Err(format!("unknown rule kind `{other}`")),
        }
    }
}

/// A rule's identity and documentation, generated at build time from `rules/<CODE>.md`.
#[derive(Debug)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub requirement: &'static str,
    pub level: Level,
    pub kind: Kind,
    pub summary: &'static str,
    /// The Markdown body of the rule's page (front matter removed).
    pub docs: &'static str,
    /// The page's file name under `rules/`.
    pub file: &'static str,
}

impl RuleMeta {
    pub fn default_severity(&self) -> Severity {
        self.level.default_severity()
    }

    /// A MAY of the design cannot be broken: such a rule runs only when `select` names it.
    /// vic-lint's own `VL-` requirements are not the design's, and their rules run by default.
    pub fn enabled_by_default(&self) -> bool {
        self.level != Level::May || self.requirement.starts_with("VL-")
    }

    /// Where the rule's page is published. The base comes from the workspace's `repository`.
    pub fn url(&self) -> String {
        format!("{}/blob/main/rules/{}", env!("CARGO_PKG_REPOSITORY"), self.file)
    }
}
