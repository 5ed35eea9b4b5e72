//! The project's own catalogue of the design's requirements (`requirements.toml`).

use std::sync::OnceLock;

use serde::Deserialize;

use crate::meta::Level;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub id: String,
    /// As written in the catalogue (`SHOULD / SHOULD NOT`).
    pub level: String,
    /// How it can be verified: unit, compose, version, docs, drone, layout, harness, process, syntax.
    pub check: Vec<String>,
    pub section: String,
    pub text: String,
}

impl Requirement {
    /// The strongest level named, for severity purposes.
    pub fn level(&self) -> Option<Level> {
        self.level.split('/').next().and_then(|l| l.parse().ok())
    }

    pub fn is_process(&self) -> bool {
        self.check.iter().all(|c| c == "process")
    }
}

#[derive(Deserialize)]
struct Catalogue {
    requirement: Vec<Requirement>,
}

const SOURCE: &str = include_str!("../../../requirements.toml");

/// Parses the embedded catalogue; a test keeps it valid, so the error arm is for safety only.
pub fn parse_catalogue() -> Result<Vec<Requirement>, String> {
    toml::from_str::<Catalogue>(SOURCE).map(|c| c.requirement).map_err(|e| e.to_string())
}

pub fn catalogue() -> &'static [Requirement] {
    static CAT: OnceLock<Vec<Requirement>> = OnceLock::new();
    CAT.get_or_init(|| parse_catalogue().unwrap_or_default())
}

pub fn find(id: &str) -> Option<&'static Requirement> {
    catalogue().iter().find(|r| r.id == id)
}
