//! Rules on the structure of a component's systemd units.

mod configuration_step;
mod configure_order;
mod exec_kind;
mod host_process;
mod ready;
mod script_dir;
mod several_containers;
mod start_script;
mod systemctl;
mod wanted_by;

pub use configuration_step::ConfigurationOutsideExecStartPre;
pub use configure_order::ConfigureUnitNotOrdered;
pub use host_process::HostProcessNotContainer;
pub use ready::MissingReadyDependency;
pub use script_dir::ScriptOutsideComponentDir;
pub use several_containers::UnitStartsSeveralContainers;
pub use start_script::ExecStartRunsScript;
pub use systemctl::ExecRunsSystemctl;
pub use wanted_by::MissingWantedBy;
