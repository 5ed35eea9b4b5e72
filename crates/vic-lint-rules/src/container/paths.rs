//! FS-1, FS-2, FS-3: where a component's host paths may live. One classifier decides which of
//! the three a mount breaks, so a path is never reported twice.

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
    fn root(self) -> &'static str {
        match self {
            Area::Log => "/storage/log",
            Area::Data => "/storage/data",
            Area::Db => "/storage/db",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Area::Log => "logs",
            Area::Data => "data",
            Area::Db => "databases",
        }
    }
}

/// Removes a trailing slash and doubled slashes, so prefix tests compare like with like.
pub fn normalize(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for seg in path.split('/').filter(|s| !s.is_empty() && *s != ".") {
        out.push('/');
        out.push_str(seg);
    }
    if out.is_empty() && path.starts_with('/') {
        out.push('/');
    }
    if !path.starts_with('/') {
        return path.trim_end_matches('/').to_string();
    }
    out
}

/// `path` is `dir` or below it.
pub fn under(path: &str, dir: &str) -> bool {
    path == dir || path.strip_prefix(dir).is_some_and(|rest| rest.starts_with('/'))
}

fn looks_like(path: &str, words: &[&str]) -> bool {
    path.split('/').any(|seg| {
        let seg = seg.to_ascii_lowercase();
        words.iter().any(|w| match w.strip_suffix('*') {
            Some(prefix) => seg.starts_with(prefix),
            None => seg == *w,
        })
    })
}

/// Which area a mount belongs to and why it is misplaced, or None when it is fine (or cannot be
/// judged: a variable nothing defines, an anonymous volume, a path another rule owns).
pub fn misplaced(m: &Mount, component: &str) -> Option<(Area, String)> {
    let src = m.source.as_ref()?;
    if src.variable {
        return None;
    }
    let path = normalize(&src.text);
    if SOCKETS.contains(&path.as_str()) {
        return None;
    }
    if !m.is_bind() {
        return Some((
            Area::Data,
            format!("named volume `{path}` lives in /var/lib/docker, not under /storage/data/{component}"),
        ));
    }
    // Compose reads a relative path from the Compose file's folder: configuration shipped with
    // the component, which is not data when it is mounted read-only.
    if !path.starts_with('/') && m.read_only {
        return None;
    }
    if !path.starts_with('/') {
        return Some((
            Area::Data,
            format!("relative host path `{path}`: host paths are absolute, under /storage"),
        ));
    }
    for area in [Area::Log, Area::Data, Area::Db] {
        if under(&path, area.root()) {
            let own = format!("{}/{component}", area.root());
            if under(&path, &own) || (area == Area::Data && under(&path, CERTS)) {
                return None;
            }
            return Some((area, format!("`{path}` is not in this component's directory {own}")));
        }
    }
    if SYSTEM_FILES.contains(&path.as_str()) && m.read_only {
        return None;
    }
    let area = if looks_like(&path, &["log", "logs"]) {
        Area::Log
    } else if looks_like(
        &path,
        &["db", "database", "postgres*", "pgdata", "mysql", "mariadb", "mongo*", "redis"],
    ) {
        Area::Db
    } else {
        Area::Data
    };
    Some((
        area,
        format!("`{path}` is outside /storage: {} belong in {}/{component}", area.what(), area.root()),
    ))
}

fn check(area: Area, cx: &ContainerCx<'_>, sink: &mut Sink) {
    let spec = cx.spec;
    for (i, m) in spec.mounts.iter().enumerate() {
        let Some((a, message)) = misplaced(m, &cx.component.name) else { continue };
        if a != area {
            continue;
        }
        let (file, span) = m.source.as_ref().map_or((m.file, m.span), |s| (s.file, s.span));
        sink.report(file, span, message)
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
        misplaced(&m, "admiral").map(|(a, _)| a)
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
        assert_eq!(area("./rel:/o"), Some(Area::Data));
        assert_eq!(area("/etc/localtime:/etc/localtime:ro"), None);
        assert_eq!(area("/etc/localtime:/etc/localtime"), Some(Area::Data));
        assert_eq!(area("/var/run/docker.sock:/s"), None);
        assert_eq!(area("${X}:/s"), None);
        assert_eq!(area("/anon"), None);
        assert_eq!(normalize("//storage//data/x/"), "/storage/data/x");
    }
}
