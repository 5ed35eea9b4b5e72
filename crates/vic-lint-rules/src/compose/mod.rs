//! Rules on Compose files: their version, their keys, and how they mount host paths.

mod config_version;
mod literal_path;
mod misread_version;
pub mod schema;
mod shared_dir;
mod unsupported_version;
mod upgrade_container;
mod version_keys;

pub use config_version::UnversionedConfigFile;
pub use literal_path::LiteralVolumeHostPath;
pub use misread_version::MisreadComposeVersion;
pub use shared_dir::SharedHostDirectory;
pub use unsupported_version::UnsupportedComposeVersion;
pub use upgrade_container::NoUpgradeContainer;
pub use version_keys::KeyNotInComposeVersion;
