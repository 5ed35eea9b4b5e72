//! Rules on the component's `.drone.yml`: the downstream trigger of the appliance build, the
//! tests before it, the tag-triggered publish step and the staging workflow.

mod model;
mod publish;
mod staging;
mod trigger;
mod trigger_order;

pub use publish::NoTagPublishStep;
pub use staging::NoStagingWorkflow;
pub use trigger::NoDownstreamTrigger;
pub use trigger_order::DownstreamTriggerBeforeTests;
