//! The model vic-lint's rules work on: findings, rule metadata and the rule trait, the
//! requirement catalogue, configuration, discovery of files and their grouping into components.

pub mod component;
pub mod compose;
pub mod config;
pub mod container;
pub mod discover;
pub mod finding;
pub mod meta;
pub mod requirements;
pub mod rule;
pub use finding::{Edit, Evidence, Finding, Fix, Label};
pub use meta::{Kind, Level, RuleMeta, Severity};
