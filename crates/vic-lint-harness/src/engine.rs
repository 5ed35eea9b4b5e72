//! The container engine: reachability, local images (never pulled), builds, and single runs
//! with a deadline.
//!
//! Containers are created, started and removed through testcontainers. bollard, the client
//! testcontainers itself uses, does what testcontainers does not: ping, image inspection (its
//! runner pulls a missing image, which must never happen here), builds, waiting with a deadline
//! and killing, ordered stdout+stderr logs, OOM state, and the label sweep after Ctrl-C.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bollard::query_parameters::{
    BuildImageOptionsBuilder, KillContainerOptionsBuilder, ListContainersOptionsBuilder, LogsOptionsBuilder,
    RemoveContainerOptionsBuilder,
};
use bollard::Docker;
use futures_util::StreamExt;
use testcontainers::core::{AccessMode, Mount};
use testcontainers::runners::AsyncRunner;
use testcontainers::{GenericImage, ImageExt};

/// Every container the harness starts carries this label, and the run's id under `RUN_LABEL`,
/// so `docker ps -a --filter label=vic-lint.harness` finds leftovers.
pub const LABEL: &str = "vic-lint.harness";
pub const RUN_LABEL: &str = "vic-lint.run";
/// What a harness container may use, unless the manifest says otherwise (`memory`, `pids`).
pub const DEFAULT_MEMORY: i64 = 512 * 1024 * 1024;
pub const DEFAULT_PIDS: i64 = 256;
/// Networks the harness creates carry the labels of its containers, for the same sweep.
const NETWORK_PREFIX: &str = "vic-lint-";
/// Logs beyond this are cut: a looping container must not fill the harness's memory.
const LOG_CAP: usize = 8 * 1024 * 1024;
const PING_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug)]
pub enum EngineError {
    /// No engine answered: exit 3.
    Unreachable(String),
    /// The engine answered but could not do what was asked (missing image, failed build, ...).
    Failed(String),
}

impl std::fmt::Display for EngineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EngineError::Unreachable(m) | EngineError::Failed(m) => f.write_str(m),
        }
    }
}

#[derive(Clone)]
pub struct Engine {
    docker: Docker,
}

/// Where the engine is looked for, for messages.
pub fn host_description() -> String {
    match std::env::var("DOCKER_HOST") {
        Ok(h) if !h.is_empty() => format!("{h} (from DOCKER_HOST)"),
        _ => "unix:///var/run/docker.sock (the default; DOCKER_HOST is not set)".into(),
    }
}

impl Engine {
    pub async fn connect() -> Result<Engine, EngineError> {
        let unreachable = |why: String| {
            EngineError::Unreachable(format!(
                "no Docker engine is reachable at {}: {why}. Start Docker, or set DOCKER_HOST to a \
                 reachable engine (unix:///path/to/docker.sock or tcp://host:2375).",
                host_description()
            ))
        };
        let docker = Docker::connect_with_defaults().map_err(|e| unreachable(e.to_string()))?;
        match tokio::time::timeout(PING_TIMEOUT, docker.ping()).await {
            Ok(Ok(_)) => Ok(Engine { docker }),
            Ok(Err(e)) => Err(unreachable(e.to_string())),
            Err(_) => Err(unreachable(format!("no answer within {} s", PING_TIMEOUT.as_secs()))),
        }
    }

    /// The local image, or a clear refusal: the harness never pulls.
    pub async fn image(&self, reference: &str) -> Result<ImageInfo, EngineError> {
        match self.docker.inspect_image(reference).await {
            Ok(info) => Ok(ImageInfo {
                reference: reference.to_string(),
                id: info.id.unwrap_or_default(),
                labels: info.config.and_then(|c| c.labels).unwrap_or_default(),
            }),
            Err(bollard::errors::Error::DockerResponseServerError { status_code: 404, .. }) => {
                Err(EngineError::Failed(format!(
                    "image {reference} is not present in the local Docker engine, and vic-lint never \
                     pulls images. Build it (docker build -t {reference} …), pull it yourself, or use \
                     `build = \"<folder>\"` in the manifest."
                )))
            }
            Err(e) => Err(EngineError::Failed(format!("cannot inspect image {reference}: {e}"))),
        }
    }

    /// Builds a Dockerfile folder into `tag`, without pulling base images.
    pub async fn build(&self, context: &Path, tag: &str) -> Result<(), EngineError> {
        let fail = |why: String| EngineError::Failed(format!("cannot build {}: {why}", context.display()));
        let tarball = tar_folder(context).map_err(|e| fail(e.to_string()))?;
        let options = BuildImageOptionsBuilder::new().t(tag).rm(true).forcerm(true).build();
        let mut stream = self.docker.build_image(options, None, Some(bollard::body_full(tarball.into())));
        let mut tail: Vec<String> = Vec::new();
        while let Some(item) = stream.next().await {
            match item {
                Ok(info) => {
                    if let Some(detail) = info.error_detail.and_then(|d| d.message) {
                        return Err(fail(format!("{detail}\n{}", tail.join(""))));
                    }
                    if let Some(s) = info.stream {
                        tail.push(s);
                        if tail.len() > 20 {
                            tail.remove(0);
                        }
                    }
                }
                Err(e) => return Err(fail(format!("{e}\n{}", tail.join("")))),
            }
        }
        Ok(())
    }

    /// Runs one container to its end, to `deadline` (then kills it), or for `run_for` (then
    /// stops it, as a service is expected to keep running).
    pub async fn run(&self, spec: &RunSpec) -> Result<RunOutcome, EngineError> {
        let started = self.start(spec).await?;
        let ended = self.wait_exit(&started.id, spec.limit.window()).await;
        self.finish(started, spec, ended).await
    }

    /// Starts a container without waiting for it; `finish` judges and removes it.
    pub async fn start(&self, spec: &RunSpec) -> Result<Started, EngineError> {
        let (name, tag) = split_reference(&spec.image);
        let mut request = GenericImage::new(name, tag)
            .with_network(spec.network.clone())
            .with_label(LABEL, "true")
            .with_label(RUN_LABEL, spec.run_id.clone())
            .with_label("vic-lint.scenario", spec.scenario.clone())
            .with_cap_drop("ALL")
            // Root in the container still owns the data trees of the user running vic-lint, as
            // the appliance's root owns /storage; nothing beyond file ownership is granted.
            .with_cap_add("CHOWN")
            .with_cap_add("DAC_OVERRIDE")
            .with_cap_add("FOWNER")
            .with_cap_add("SETUID")
            .with_cap_add("SETGID")
            .with_security_opt("no-new-privileges")
            .with_privileged(false);
        for m in &spec.mounts {
            let access = if m.read_only { AccessMode::ReadOnly } else { AccessMode::ReadWrite };
            request = request.with_mount(
                Mount::bind_mount(m.host.to_string_lossy(), m.target.clone()).with_access_mode(access),
            );
        }
        let resources = spec.resources;
        let request = request.with_host_config_modifier(move |hc| {
            hc.memory = Some(resources.memory);
            hc.memory_swap = Some(resources.memory);
            hc.pids_limit = Some(resources.pids);
            // testcontainers publishes exposed ports by default; a harness run publishes none.
            hc.publish_all_ports = Some(false);
            hc.port_bindings = None;
        });
        let at = Instant::now();
        let container = request
            .start()
            .await
            .map_err(|e| EngineError::Failed(format!("cannot start a container of {}: {e}", spec.image)))?;
        let id = container.id().to_string();
        Ok(Started { container, id, at })
    }

    /// Ends a started container (killing it unless it `ended` by itself), reads what it did,
    /// and removes it unless `--keep`.
    pub async fn finish(
        &self,
        started: Started,
        spec: &RunSpec,
        ended: bool,
    ) -> Result<RunOutcome, EngineError> {
        let Started { container, id, at } = started;
        if !ended {
            self.kill(&id).await;
        }
        let timed_out_if_open = matches!(spec.limit, Limit::Deadline(_));
        let timed_out = !ended && timed_out_if_open;
        let stopped_running = !ended && !timed_out_if_open;
        let duration = at.elapsed();
        let state = self
            .docker
            .inspect_container(&id, None)
            .await
            .map_err(|e| EngineError::Failed(format!("cannot inspect a container of {}: {e}", spec.image)))?
            .state
            .unwrap_or_default();
        let (logs, printed) = self.logs(&id).await;
        if spec.keep {
            // testcontainers removes a container when its handle drops; --keep must not.
            std::mem::forget(container);
        } else if let Err(e) = container.rm().await {
            // The sweep at the end of the run retries by label.
            eprintln!("warning: could not remove container {id}: {e}");
        }
        Ok(RunOutcome {
            exit_code: if timed_out || stopped_running { None } else { state.exit_code },
            timed_out,
            still_running: stopped_running,
            oom_killed: state.oom_killed.unwrap_or(false),
            duration,
            logs,
            printed,
            container: id,
        })
    }

    /// The engine's CPU architecture, as `docker info` names it (`x86_64`, `aarch64`).
    pub async fn architecture(&self) -> Option<String> {
        self.docker.info().await.ok()?.architecture
    }

    /// Whether the container is running now.
    pub async fn running(&self, id: &str) -> bool {
        self.docker
            .inspect_container(id, None)
            .await
            .ok()
            .and_then(|c| c.state)
            .and_then(|s| s.running)
            .unwrap_or(false)
    }

    /// The container's address on `network`, if it has one there.
    pub async fn address(&self, id: &str, network: &str) -> Option<std::net::IpAddr> {
        let info = self.docker.inspect_container(id, None).await.ok()?;
        let networks = info.network_settings?.networks?;
        networks.get(network)?.ip_address.as_deref()?.parse().ok()
    }

    /// Runs `argv` inside a running container, to its end or `window`; its exit code (None at
    /// the deadline) and its output, capped like container logs.
    pub async fn exec(
        &self,
        id: &str,
        argv: &[String],
        window: Duration,
    ) -> Result<(Option<i64>, String), EngineError> {
        let failed = |e: bollard::errors::Error| EngineError::Failed(format!("cannot run the workload: {e}"));
        let config = bollard::models::ExecConfig {
            cmd: Some(argv.to_vec()),
            attach_stdout: Some(true),
            attach_stderr: Some(true),
            ..Default::default()
        };
        let exec = self.docker.create_exec(id, config).await.map_err(failed)?;
        let started = self.docker.start_exec(&exec.id, None).await.map_err(failed)?;
        let bollard::exec::StartExecResults::Attached { output: mut stream, .. } = started else {
            return Err(EngineError::Failed("the workload started detached".into()));
        };
        let mut output = Vec::new();
        let read = async {
            while let Some(Ok(chunk)) = stream.next().await {
                if output.len() < LOG_CAP {
                    output.extend_from_slice(&chunk.into_bytes());
                }
            }
        };
        let done = tokio::time::timeout(window, read).await.is_ok();
        let code =
            if done { self.docker.inspect_exec(&exec.id).await.ok().and_then(|i| i.exit_code) } else { None };
        Ok((code, String::from_utf8_lossy(&output).into_owned()))
    }

    /// An internal network (no route out) for one run, labelled for the sweep.
    pub async fn create_network(&self, run_id: &str, name: &str) -> Result<String, EngineError> {
        let full = format!("{NETWORK_PREFIX}{run_id}-{name}");
        let labels = HashMap::from([
            (LABEL.to_string(), "true".to_string()),
            (RUN_LABEL.to_string(), run_id.to_string()),
        ]);
        let request = bollard::models::NetworkCreateRequest {
            name: full.clone(),
            internal: Some(true),
            labels: Some(labels),
            ..Default::default()
        };
        self.docker
            .create_network(request)
            .await
            .map_err(|e| EngineError::Failed(format!("cannot create the network {full}: {e}")))?;
        Ok(full)
    }

    pub async fn remove_network(&self, name: &str) {
        if let Err(e) = self.docker.remove_network(name).await {
            // The sweep at the end of the run retries by label.
            eprintln!("warning: could not remove network {name}: {e}");
        }
    }

    /// Whether containers the engine runs can be reached at their network address from here:
    /// true for a local engine, false for one behind `tcp://` or `ssh://`.
    pub fn local(&self) -> bool {
        !std::env::var("DOCKER_HOST").is_ok_and(|h| h.starts_with("tcp://") || h.starts_with("ssh://"))
    }

    /// Whether the container ended within `window`. The wait API answers when it exits; should
    /// its stream break, polling the state takes over, so a broken stream never reads as an exit.
    pub async fn wait_exit(&self, id: &str, window: Duration) -> bool {
        let ended = async {
            let mut wait = self.docker.wait_container(id, None);
            match wait.next().await {
                // bollard reports a non-zero exit as this error: the container did end.
                Some(Ok(_)) | Some(Err(bollard::errors::Error::DockerContainerWaitError { .. })) => return,
                _ => {}
            }
            loop {
                let running = self.running(id).await;
                if !running {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        };
        tokio::time::timeout(window, ended).await.is_ok()
    }

    async fn kill(&self, id: &str) {
        let options = KillContainerOptionsBuilder::new().signal("SIGKILL").build();
        let _ = self.docker.kill_container(id, Some(options)).await;
        // Wait for the kill to land, so the state read next is final.
        let mut wait = self.docker.wait_container(id, None);
        let _ = tokio::time::timeout(Duration::from_secs(10), wait.next()).await;
    }

    /// stdout and stderr in the order they were written, and whether anything was written.
    async fn logs(&self, id: &str) -> (String, bool) {
        let options = LogsOptionsBuilder::new().stdout(true).stderr(true).build();
        let mut stream = self.docker.logs(id, Some(options));
        let mut bytes: Vec<u8> = Vec::new();
        let mut printed = false;
        while let Some(Ok(chunk)) = stream.next().await {
            let message = chunk.into_bytes();
            printed |= !message.is_empty();
            if bytes.len() < LOG_CAP {
                bytes.extend_from_slice(&message);
            }
        }
        if bytes.len() >= LOG_CAP {
            bytes.truncate(LOG_CAP);
            bytes.extend_from_slice(b"\n[vic-lint: logs cut at 8 MiB]\n");
        }
        (String::from_utf8_lossy(&bytes).into_owned(), printed)
    }

    /// Removes every container of a run that is still there (after Ctrl-C, or a failed removal).
    pub async fn sweep(&self, run_id: &str) -> usize {
        let mut filters = HashMap::new();
        filters.insert("label", vec![format!("{RUN_LABEL}={run_id}")]);
        let options = ListContainersOptionsBuilder::new().all(true).filters(&filters).build();
        let Ok(list) = self.docker.list_containers(Some(options)).await else { return 0 };
        let mut removed = 0;
        for c in list {
            let Some(id) = c.id else { continue };
            let options = RemoveContainerOptionsBuilder::new().force(true).v(true).build();
            if self.docker.remove_container(&id, Some(options)).await.is_ok() {
                removed += 1;
            }
        }
        // Networks go after their containers: the engine refuses to remove one in use.
        let options = bollard::query_parameters::ListNetworksOptionsBuilder::new().filters(&filters).build();
        for n in self.docker.list_networks(Some(options)).await.unwrap_or_default() {
            if let Some(name) = n.name.filter(|n| n.starts_with(NETWORK_PREFIX)) {
                let _ = self.docker.remove_network(&name).await;
            }
        }
        removed
    }
}

#[derive(Debug, Clone)]
pub struct ImageInfo {
    pub reference: String,
    pub id: String,
    pub labels: HashMap<String, String>,
}

#[derive(Debug, Clone)]
pub struct MountSpec {
    pub host: PathBuf,
    pub target: String,
    pub read_only: bool,
}

#[derive(Debug, Clone, Copy)]
pub enum Limit {
    /// An upgrade run: it must end by itself before this.
    Deadline(Duration),
    /// A service run: watched this long, then stopped.
    RunFor(Duration),
}

impl Limit {
    pub fn window(self) -> Duration {
        match self {
            Limit::Deadline(d) | Limit::RunFor(d) => d,
        }
    }
}

/// The cgroup limits of a harness container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resources {
    /// Bytes of memory, swap included.
    pub memory: i64,
    pub pids: i64,
}

impl Default for Resources {
    fn default() -> Self {
        Resources { memory: DEFAULT_MEMORY, pids: DEFAULT_PIDS }
    }
}

/// A container that runs, and when it was started.
pub struct Started {
    container: testcontainers::ContainerAsync<GenericImage>,
    pub id: String,
    pub at: Instant,
}

#[derive(Debug, Clone)]
pub struct RunSpec {
    pub image: String,
    pub mounts: Vec<MountSpec>,
    pub limit: Limit,
    pub resources: Resources,
    pub network: String,
    pub run_id: String,
    pub scenario: String,
    pub keep: bool,
}

#[derive(Debug, Clone)]
pub struct RunOutcome {
    /// None when the harness ended the run (timeout, or a service still up after `run-for`).
    pub exit_code: Option<i64>,
    pub timed_out: bool,
    pub still_running: bool,
    pub oom_killed: bool,
    pub duration: Duration,
    pub logs: String,
    pub printed: bool,
    pub container: String,
}

/// `registry:5000/team/app:v1` → (`registry:5000/team/app`, `v1`); no tag means `latest`.
pub fn split_reference(reference: &str) -> (String, String) {
    let last_slash = reference.rfind('/').map_or(0, |i| i + 1);
    match reference.get(last_slash..).and_then(|tail| tail.rfind(':')) {
        Some(colon) => {
            let at = last_slash + colon;
            (
                reference.get(..at).unwrap_or(reference).to_string(),
                reference.get(at + 1..).unwrap_or("latest").to_string(),
            )
        }
        None => (reference.to_string(), "latest".to_string()),
    }
}

/// A Dockerfile folder as the tar stream the build API takes; symlinks stay links.
fn tar_folder(dir: &Path) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    builder.follow_symlinks(false);
    builder.append_dir_all(".", dir)?;
    builder.into_inner()
}

#[cfg(test)]
mod tests {
    use super::split_reference;

    #[test]
    fn references_split_at_the_tag() {
        let s = |r: &str| {
            let (a, b) = split_reference(r);
            format!("{a} {b}")
        };
        assert_eq!(s("example/app:v1.2.0"), "example/app v1.2.0");
        assert_eq!(s("example/app"), "example/app latest");
        assert_eq!(s("registry:5000/team/app:v1"), "registry:5000/team/app v1");
        assert_eq!(s("registry:5000/team/app"), "registry:5000/team/app latest");
    }
}
