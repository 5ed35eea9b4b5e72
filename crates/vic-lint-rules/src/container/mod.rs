//! Rules on one container's settings, whether it is started by a `docker run` line of a unit or
//! (with the Compose model) declared as a Compose service.

mod cap_drop;
mod capability;
mod certs;
mod floating_tag;
mod host_namespace;
mod log_limits;
mod log_volume;
pub(crate) mod paths;
mod port_conflict;
mod ports;
mod privileged;
mod root_user;
mod socket;
mod unconfined;

pub use cap_drop::MissingCapDrop;
pub use capability::DangerousCapability;
pub use certs::WritableCertificateMount;
pub use floating_tag::FloatingImageTag;
pub use host_namespace::HostNamespace;
pub use log_limits::MissingLogLimits;
pub use log_volume::NoLogVolume;
pub use paths::{DataDirOutsideComponent, DbDirOutsideComponent, LogDirOutsideComponent};
pub use port_conflict::HostPortConflict;
pub use ports::UnapprovedHostPort;
pub use privileged::PrivilegedContainer;
pub use root_user::RootUser;
pub use socket::DockerSocketMounted;
pub use unconfined::UnconfinedSecurityProfile;
