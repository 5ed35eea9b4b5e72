//! vic-lint's static rules, their registry, and the engine that runs them over a workspace.

pub mod compose;
pub mod container;
pub mod docs;
pub mod drone;
pub mod engine;
pub mod layout;
pub mod model;
pub mod registry;
pub mod select;
pub mod suppress;
pub mod syntax;
pub mod unit;
mod util;
pub mod version;

pub use engine::{check, map, CheckOptions, Map, Overlay, Report};
pub use registry::{all, meta, rule_meta, RegisteredRule};
