//! FS-1, FS-2, FS-3: where a component's host paths may live. One classifier decides which of
//! the three a mount breaks, so a path is never reported twice.

use std::borrow::Cow;

use vic_lint_core::container::Mount;
use vic_lint_core::rule::{ContainerCx, Rule, Sink};

use super::certs::CERTS;
use super::socket::SOCKETS;

/// Appliance files a component may read.
const SYSTEM_FILES: &[&str] = &["/etc/localtime", "/etc/timezone", "/etc/vmware/version"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Area {
    Log,
    Data,
    Db,
}

impl Area {
    pub fn root(self) -> &'static str {
        match self {
            Area::Log => "/storage/log",
            Area::Data => "/storage/data",
            Area::Db => "/storage/db",
        }
    }

    pub fn what(self) -> &'static str {
        match self {
            Area::Log => "logs",
            Area::Data => "data",
            Area::Db => "databases",
        }
    }
}

/// Removes a trailing slash and doubled slashes, so prefix tests compare like with like. Most
/// paths are already clean and come back borrowed.
pub fn normalize(path: &str) -> Cow<'_, str> {
    if !path.starts_with('/') {
        return Cow::Borrowed(path.trim_end_matches('/'));
    }
    if !path.split('/').skip(1).any(|s| s.is_empty() || s == ".") {
        return Cow::Borrowed(path);
    }
    let mut out = String::with_capacity(path.len());
    for seg in path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        out.push('/');
        out.push_str(seg);
    }
    if out.is_empty() {
        out.push('/');
    }
    Cow::Owned(out)
}

/// `path` is `dir` or below it.
pub fn under(path: &str, dir: &str) -> bool {
    path == dir
        || dir == "/" && path.starts_with('/')
        || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

/// Whether a path segment names what the words name: `db` matches the segment `db`, `db*` a
/// segment that starts with `db`, `*db` one that ends with it.
fn names(path: &str, words: &[&str]) -> bool {
    path.split('/').any(|seg| {
        let seg = seg.as_bytes();
        words.iter().any(|w| {
            if let Some(prefix) = w.strip_suffix('*') {
                seg.get(..prefix.len()).is_some_and(|s| s.eq_ignore_ascii_case(prefix.as_bytes()))
            } else if let Some(suffix) = w.strip_prefix('*') {
                let from = seg.len().checked_sub(suffix.len());
                from.and_then(|f| seg.get(f..)).is_some_and(|s| s.eq_ignore_ascii_case(suffix.as_bytes()))
            } else {
                seg.eq_ignore_ascii_case(w.as_bytes())
            }
        })
    })
}

/// Where database engines keep their files inside their containers (MySQL and MariaDB,
/// PostgreSQL, MongoDB, Redis, etcd, and the others the images document).
const DB_TARGETS: &[&str] = &[
    "/var/lib/mysql",
    "/var/lib/mariadb",
    "/var/lib/postgresql",
    "/var/lib/pgsql",
    "/var/lib/postgres",
    "/var/lib/mongodb",
    "/data/db",
    "/data/configdb",
    "/var/lib/redis",
    "/var/lib/etcd",
    "/etcd-data",
    "/var/lib/cassandra",
    "/var/lib/couchdb",
    "/opt/couchdb/data",
    "/var/lib/influxdb",
    "/var/lib/clickhouse",
    "/var/opt/mssql",
    "/bitnami/postgresql",
    "/bitnami/mariadb",
    "/bitnami/mysql",
    "/bitnami/mongodb",
    "/bitnami/redis",
];

/// Host-side names that say a directory holds a database: `db`, `notary-db`, `pgdata`, ...
const DB_NAMES: &[&str] = &[
    "db",
    "database",
    "databases",
    "*-db",
    "*_db",
    "*-database",
    "*_database",
    "pgdata",
    "postgres*",
    "mysql",
    "mariadb",
    "mongo*",
    "redis",
    "etcd",
];

/// Host-side names that say a directory holds logs: `log`, `logs`, `job_logs`, `audit-log`, ...
const LOG_NAMES: &[&str] = &["log", "logs", "*_log", "*-log", "*_logs", "*-logs"];

/// What a mount holds, read from both of its sides: the container side says what the program
/// keeps there (`/var/lib/mysql` is a database wherever the host puts it), the host side says
/// where the appliance keeps it (`/storage/log/...`) or what its author called it (`notary-db`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// A relative host path: the Compose project folder, that is the configuration shipped
    /// with the component and installed under /etc/vmware/<component>.
    Config,
    /// The appliance's certificate directory, shared by every component.
    Certs,
    /// An appliance file a component may read (`/etc/localtime`), read-only.
    System,
    /// The Docker socket: K004's business.
    Socket,
    Area(Area),
}

/// What the mount holds, or None when nothing is known (an anonymous volume, a host path that
/// still holds a variable nothing defines).
pub fn holds(m: &Mount) -> Option<Holds> {
    let src = m.source.as_ref()?;
    let target = m.target.as_ref().map(|t| normalize(&t.text)).unwrap_or_default();
    let by_target = if DB_TARGETS.iter().any(|d| under(&target, d)) {
        Some(Area::Db)
    } else if under(&target, "/var/log") {
        Some(Area::Log)
    } else {
        None
    };
    if src.variable {
        return by_target.map(Holds::Area);
    }
    let path = normalize(&src.text);
    if SOCKETS.contains(&&*path) {
        return Some(Holds::Socket);
    }
    if under(&path, CERTS) {
        return Some(Holds::Certs);
    }
    if SYSTEM_FILES.contains(&&*path) && m.read_only {
        return Some(Holds::System);
    }
    if let Some(area) = by_target {
        return Some(Holds::Area(area));
    }
    // `/etc/vmware/psc/admiral` and the like: configuration the appliance writes for the
    // component on its root disk (the platform's token files, its environment).
    if under(&path, "/etc") {
        return Some(Holds::Config);
    }
    // Read-only, outside the appliance's disks: content the appliance ships (`/opt/vmware/
    // fileserver`), which the component reads and cannot keep state in.
    if m.read_only && path.starts_with('/') && !under(&path, "/storage") {
        return Some(Holds::Config);
    }
    // Under /storage the appliance's disk says what the directory is meant to hold; elsewhere
    // its name does.
    if let Some(area) = [Area::Log, Area::Data, Area::Db].into_iter().find(|a| under(&path, a.root())) {
        return Some(Holds::Area(area));
    }
    // The Compose project folder ships configuration: `./common/config/log/` mounted on
    // `/etc/logrotate.d/` is the rotation settings, not the logs.
    let relative = m.is_bind() && !path.starts_with('/');
    if relative && (under(&target, "/etc") || names(&path, &["config", "conf", "cfg", "etc"])) {
        return Some(Holds::Config);
    }
    if names(&path, LOG_NAMES) {
        return Some(Holds::Area(Area::Log));
    }
    if names(&path, DB_NAMES) {
        return Some(Holds::Area(Area::Db));
    }
    if relative && !names(&path, &["data"]) {
        return Some(Holds::Config);
    }
    Some(Holds::Area(Area::Data))
}

/// A mount outside its component's directory: the area it belongs to, and what to say.
pub struct Misplaced<'m> {
    pub area: Area,
    mount: &'m Mount,
    path: Cow<'m, str>,
    component: &'m str,
}

/// Which area a mount belongs to when it is misplaced, or None when it is fine (or cannot be
/// judged: a variable nothing defines, an anonymous volume, a path another rule owns).
pub fn misplaced<'m>(m: &'m Mount, component: &'m str) -> Option<Misplaced<'m>> {
    let src = m.source.as_ref().filter(|s| !s.variable)?;
    let Some(Holds::Area(area)) = holds(m) else { return None };
    let path = normalize(&src.text);
    // A directory above several of the appliance's disks (`/storage`) is C004's finding.
    if [Area::Log, Area::Data, Area::Db].into_iter().filter(|a| under(a.root(), &path)).count() >= 2 {
        return None;
    }
    // Under `<root>/<component>`, written without building that path: three rules ask.
    let rest = path.strip_prefix(area.root()).and_then(|r| r.strip_prefix('/'));
    if rest.and_then(|r| r.strip_prefix(component)).is_some_and(|r| r.is_empty() || r.starts_with('/')) {
        return None;
    }
    Some(Misplaced { area, mount: m, path, component })
}

impl Misplaced<'_> {
    /// Built only for the rule that reports it: three rules classify every mount.
    pub fn message(&self) -> String {
        let Misplaced { area, mount, path, component } = self;
        let own = format!("{}/{component}", area.root());
        if !mount.is_bind() {
            format!("named volume `{path}` lives in /var/lib/docker: {} belong in {own}", area.what())
        } else if !path.starts_with('/') {
            format!(
                "relative host path `{path}` keeps {} in the component's configuration folder: they belong in {own}",
                area.what()
            )
        } else if let Some(disk) =
            [Area::Log, Area::Data, Area::Db].into_iter().find(|a| under(path, a.root()))
        {
            if disk == *area {
                format!("`{path}` is not in this component's directory {own}")
            } else {
                format!(
                    "`{path}` keeps {} on the {} disk {}: they belong in {own}",
                    area.what(),
                    disk.what(),
                    disk.root()
                )
            }
        } else {
            format!("`{path}` is outside /storage: {} belong in {own}", area.what())
        }
    }
}

fn check(area: Area, cx: &ContainerCx<'_>, sink: &mut Sink) {
    let spec = cx.spec;
    for (i, m) in spec.mounts.iter().enumerate() {
        let Some(found) = misplaced(m, &cx.component.name).filter(|f| f.area == area) else { continue };
        let (file, span) = m.source.as_ref().map_or((m.file, m.span), |s| (s.file, s.span));
        sink.report(file, span, found.message())
            .help(format!(
                "mount {} from {}/{} (or a folder below it)",
                area.what(),
                area.root(),
                cx.component.name
            ))
            .anchor(spec.anchor_for(&format!("volumes#{i}")));
    }
}

/// FS-1.
pub struct LogDirOutsideComponent;
/// FS-2.
pub struct DataDirOutsideComponent;
/// FS-3.
pub struct DbDirOutsideComponent;

impl Rule for LogDirOutsideComponent {
    fn code(&self) -> &'static str {
        "K009"
    }
    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        check(Area::Log, cx, sink);
    }
}

impl Rule for DataDirOutsideComponent {
    fn code(&self) -> &'static str {
        "K010"
    }
    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        check(Area::Data, cx, sink);
    }
}

impl Rule for DbDirOutsideComponent {
    fn code(&self) -> &'static str {
        "K011"
    }
    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        check(Area::Db, cx, sink);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vic_lint_core::container::parse_volume;
    use vic_lint_syntax::SpannedText;

    fn area(v: &str) -> Option<Area> {
        let origin = vic_lint_core::container::Origin { file: vic_lint_syntax::FileId(0), lookup: &|_| None };
        let m = parse_volume(&SpannedText::verbatim(v, 0), origin);
        misplaced(&m, "admiral").map(|f| f.area)
    }

    #[test]
    fn classifies_paths() {
        assert_eq!(area("/storage/data/admiral:/d"), None);
        assert_eq!(area("/storage/data/admiral/sub/:/d"), None);
        assert_eq!(area("/storage/data/certs:/c:ro"), None);
        assert_eq!(area("/storage/data/admiral-db:/d"), Some(Area::Data));
        assert_eq!(area("/storage/log/harbor:/l"), Some(Area::Log));
        assert_eq!(area("/storage/db:/l"), Some(Area::Db));
        assert_eq!(area("/var/log/admiral:/l"), Some(Area::Log));
        assert_eq!(area("/var/lib/postgresql:/p"), Some(Area::Db));
        assert_eq!(area("/opt/admiral:/o"), Some(Area::Data));
        assert_eq!(area("named:/o"), Some(Area::Data));
        assert_eq!(area("./rel:/o"), None);
        assert_eq!(area("./common/config/registry/:/etc/registry/:z"), None);
        assert_eq!(area("./data/registry:/storage"), Some(Area::Data));
        assert_eq!(area("./db:/x"), Some(Area::Db));
        assert_eq!(area("/data/notary-db:/var/lib/mysql:z"), Some(Area::Db));
        assert_eq!(area("/data/clair-db:/x"), Some(Area::Db));
        assert_eq!(area("${X_DB_DIR:-/var/lib/x-db}:/var/lib/postgresql/data"), Some(Area::Db));
        assert_eq!(area("${UNSET}:/var/lib/postgresql/data"), None);
        assert_eq!(area("/storage/data/admiral/database:/var/lib/mysql"), Some(Area::Db));
        assert_eq!(area("/storage/db/admiral:/var/lib/mysql"), None);
        assert_eq!(area("/data/job_logs:/var/log/jobs"), Some(Area::Log));
        assert_eq!(area("/data/registry:/var/lib/registry"), Some(Area::Data));
        assert_eq!(area("/data/redis:/var/lib/redis"), Some(Area::Db));
        assert_eq!(area("pgdata:/var/lib/postgresql/data"), Some(Area::Db));
        assert_eq!(area("/etc/localtime:/etc/localtime:ro"), None);
        assert_eq!(area("/etc/localtime:/etc/localtime"), None);
        assert_eq!(area("/etc/vmware/psc/admiral:/etc/vmware/psc:ro"), None);
        assert_eq!(area("/opt/vmware/fileserver:/srv:ro"), None);
        assert_eq!(area("/opt/vmware/fileserver:/srv"), Some(Area::Data));
        assert_eq!(area("/var/run/docker.sock:/s"), None);
        assert_eq!(area("${X}:/s"), None);
        assert_eq!(area("/anon"), None);
        assert_eq!(normalize("//storage//data/x/"), "/storage/data/x");
    }
}
