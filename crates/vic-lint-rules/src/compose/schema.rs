//! Which keys each Compose file version allows: vic-lint's own table, checked against the
//! official schemas by a differential test (crates/vic-lint-rules/tests/compose_schema.rs).
//! Deliberately covered: top-level keys, service keys, extension keys, and the long syntax of
//! `volumes` (2.3, 2.4, 3.2+) and `ports` (3.2+). Not covered, deliberately: value types and
//! formats (durations, sizes) and the schemas' key dependencies (`memswap_limit` needs
//! `mem_limit`), which Compose itself reports clearly.

use vic_lint_syntax::yaml::{Node, Value as Yaml};
use vic_lint_syntax::Span;

/// The versions the appliance accepts, in order; a key's row is the range it is allowed in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    V1,
    V2_0,
    V2_1,
    V2_2,
    V2_3,
    V2_4,
    V3_0,
    V3_1,
    V3_2,
    V3_3,
}

impl Version {
    /// `2` means 2.0 and `3` means 3.0, as Compose reads them.
    pub fn parse(text: &str) -> Option<Version> {
        Some(match text.trim() {
            "2" | "2.0" => Version::V2_0,
            "2.1" => Version::V2_1,
            "2.2" => Version::V2_2,
            "2.3" => Version::V2_3,
            "2.4" => Version::V2_4,
            "3" | "3.0" => Version::V3_0,
            "3.1" => Version::V3_1,
            "3.2" => Version::V3_2,
            "3.3" => Version::V3_3,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Version::V1 => "1 (no version key)",
            Version::V2_0 => "2.0",
            Version::V2_1 => "2.1",
            Version::V2_2 => "2.2",
            Version::V2_3 => "2.3",
            Version::V2_4 => "2.4",
            Version::V3_0 => "3.0",
            Version::V3_1 => "3.1",
            Version::V3_2 => "3.2",
            Version::V3_3 => "3.3",
        }
    }
}

use Version::*;

/// Service keys and the versions that allow them (inclusive range).
const SERVICE_KEYS: &[(&str, Version, Version)] = &[
    ("blkio_config", V2_0, V2_4),
    ("build", V1, V3_3),
    ("cap_add", V1, V3_3),
    ("cap_drop", V1, V3_3),
    ("cgroup_parent", V1, V3_3),
    ("command", V1, V3_3),
    ("configs", V3_3, V3_3),
    ("container_name", V1, V3_3),
    ("cpu_count", V2_2, V2_4),
    ("cpu_percent", V2_2, V2_4),
    ("cpu_period", V2_1, V2_4),
    ("cpu_quota", V1, V2_4),
    ("cpu_rt_period", V2_2, V2_4),
    ("cpu_rt_runtime", V2_2, V2_4),
    ("cpu_shares", V1, V2_4),
    ("cpus", V2_2, V2_4),
    ("cpuset", V1, V2_4),
    ("credential_spec", V3_3, V3_3),
    ("depends_on", V2_0, V3_3),
    ("deploy", V3_0, V3_3),
    ("device_cgroup_rules", V2_3, V2_4),
    ("devices", V1, V3_3),
    ("dns", V1, V3_3),
    ("dns_opt", V2_0, V2_4),
    ("dns_search", V1, V3_3),
    ("dockerfile", V1, V1),
    ("domainname", V1, V3_3),
    ("entrypoint", V1, V3_3),
    ("env_file", V1, V3_3),
    ("environment", V1, V3_3),
    ("expose", V1, V3_3),
    ("extends", V1, V2_4),
    ("external_links", V1, V3_3),
    ("extra_hosts", V1, V3_3),
    ("group_add", V2_0, V2_4),
    ("healthcheck", V2_1, V3_3),
    ("hostname", V1, V3_3),
    ("image", V1, V3_3),
    ("init", V2_2, V2_4),
    ("ipc", V1, V3_3),
    ("isolation", V2_1, V2_4),
    ("labels", V1, V3_3),
    ("links", V1, V3_3),
    ("log_driver", V1, V1),
    ("log_opt", V1, V1),
    ("logging", V2_0, V3_3),
    ("mac_address", V1, V3_3),
    ("mem_limit", V1, V2_4),
    ("mem_reservation", V2_0, V2_4),
    ("mem_swappiness", V1, V2_4),
    ("memswap_limit", V1, V2_4),
    ("net", V1, V1),
    ("network_mode", V2_0, V3_3),
    ("networks", V2_0, V3_3),
    ("oom_kill_disable", V2_1, V2_4),
    ("oom_score_adj", V2_0, V2_4),
    ("pid", V1, V3_3),
    ("pids_limit", V2_1, V2_4),
    ("platform", V2_4, V2_4),
    ("ports", V1, V3_3),
    ("privileged", V1, V3_3),
    ("read_only", V1, V3_3),
    ("restart", V1, V3_3),
    ("runtime", V2_3, V2_4),
    ("scale", V2_2, V2_4),
    ("secrets", V3_1, V3_3),
    ("security_opt", V1, V3_3),
    ("shm_size", V1, V3_3),
    ("stdin_open", V1, V3_3),
    ("stop_grace_period", V2_0, V3_3),
    ("stop_signal", V1, V3_3),
    ("storage_opt", V2_1, V2_4),
    ("sysctls", V2_1, V3_3),
    ("tmpfs", V2_0, V3_3),
    ("tty", V1, V3_3),
    ("ulimits", V1, V3_3),
    ("user", V1, V3_3),
    ("userns_mode", V2_1, V3_3),
    ("volume_driver", V1, V2_4),
    ("volumes", V1, V3_3),
    ("volumes_from", V1, V2_4),
    ("working_dir", V1, V3_3),
];

const TOP_KEYS: &[(&str, Version, Version)] = &[
    ("version", V2_0, V3_3),
    ("services", V2_0, V3_3),
    ("networks", V2_0, V3_3),
    ("volumes", V2_0, V3_3),
    ("secrets", V3_1, V3_3),
    ("configs", V3_3, V3_3),
];

fn range_of(table: &[(&str, Version, Version)], key: &str) -> Option<(Version, Version)> {
    table.iter().find(|(k, _, _)| *k == key).map(|(_, a, b)| (*a, *b))
}

/// Where a key is allowed, for the message: `3.3`, `2.2–2.4`.
fn allowed(from: Version, to: Version) -> String {
    if from == to {
        from.name().to_string()
    } else {
        format!("{}–{}", from.name(), to.name())
    }
}

/// One key or value the declared version does not allow.
pub struct Problem {
    pub span: Span,
    pub message: String,
    /// A JSON pointer to the offending key, for the fingerprint.
    pub pointer: String,
}

/// Every problem of a document for its version (V1 for a file with no `version`).
pub fn validate(root: &Node, v: Version) -> Vec<Problem> {
    let mut out = Vec::new();
    let Some(top) = root.as_map() else {
        out.push(Problem {
            span: root.span,
            message: "a Compose file is a mapping".into(),
            pointer: String::new(),
        });
        return out;
    };
    let services: Vec<_> = if v == V1 {
        top.iter().collect()
    } else {
        for p in top {
            let Some(key) = p.key.as_str() else { continue };
            let ext = key.starts_with("x-") && (V2_0..=V2_4).contains(&v);
            let ok = ext || range_of(TOP_KEYS, key).is_some_and(|(a, b)| (a..=b).contains(&v));
            if !ok {
                let message = match range_of(TOP_KEYS, key) {
                    Some((a, b)) => format!("top-level `{key}` needs Compose file version {}", allowed(a, b)),
                    None if key.starts_with("x-") => {
                        format!(
                            "extension key `{key}` is not allowed at the top level of a {} file",
                            v.name()
                        )
                    }
                    None => format!("`{key}` is not a top-level key of a {} file", v.name()),
                };
                out.push(Problem { span: p.key.span, message, pointer: format!("/{key}") });
            }
        }
        root.get("services").and_then(Node::as_map).map(|m| m.iter().collect()).unwrap_or_default()
    };
    for svc in services {
        let name = svc.key.as_str().unwrap_or("");
        let Some(keys) = svc.value.as_map() else {
            if !svc.value.is_null() || v != V1 {
                out.push(Problem {
                    span: svc.value.span,
                    message: format!("service `{name}` must be a mapping"),
                    pointer: format!("/services/{name}"),
                });
            }
            continue;
        };
        for p in keys {
            let Some(key) = p.key.as_str() else { continue };
            let pointer = format!("/services/{name}/{key}");
            if key.starts_with("x-") && v == V2_4 {
                continue;
            }
            match range_of(SERVICE_KEYS, key) {
                Some((a, b)) if (a..=b).contains(&v) => {
                    long_syntax(&p.value.value, key, v, &pointer, &mut out)
                }
                Some((a, b)) => out.push(Problem {
                    span: p.key.span,
                    message: format!(
                        "`{key}` needs Compose file version {}, this file is {}",
                        allowed(a, b),
                        v.name()
                    ),
                    pointer,
                }),
                None => out.push(Problem {
                    span: p.key.span,
                    message: format!("`{key}` is not a service key of a {} file", v.name()),
                    pointer,
                }),
            }
        }
    }
    out
}

/// The long syntax (a mapping per item): `volumes` from 2.3 and 3.2, `ports` from 3.2.
fn long_syntax(value: &Yaml, key: &str, v: Version, pointer: &str, out: &mut Vec<Problem>) {
    let allowed = match key {
        "volumes" => (V2_3..=V2_4).contains(&v) || (V3_2..=V3_3).contains(&v),
        "ports" => (V3_2..=V3_3).contains(&v),
        _ => return,
    };
    if allowed {
        return;
    }
    let Yaml::Seq(items) = value else { return };
    for (i, item) in items.iter().enumerate() {
        if matches!(item.value, Yaml::Map(_)) {
            out.push(Problem {
                span: item.span,
                message: if key == "volumes" {
                    "the long syntax of `volumes` needs Compose file version 2.3, 2.4, 3.2 or 3.3".to_string()
                } else {
                    "the long syntax of `ports` needs Compose file version 3.2 or 3.3".to_string()
                },
                pointer: format!("{pointer}/{i}"),
            });
        }
    }
}
