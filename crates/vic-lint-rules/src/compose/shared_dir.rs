use std::collections::HashMap;

use vic_lint_core::container::Value;
use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use crate::container::paths::{holds, normalize, under, Area, Holds};

/// DATA-2: one volume for each of data, database and logs, so that the appliance can put each
/// on a disk of its own. A volume goes against that only when it holds two of them: a host
/// directory above two of the appliance's disks, or one directory mounted as two kinds.
/// Directories nested in each other are not: a disk can be mounted below another's folder.
pub struct SharedHostDirectory;

const DISKS: [Area; 3] = [Area::Data, Area::Db, Area::Log];

impl Rule for SharedHostDirectory {
    fn code(&self) -> &'static str {
        "C004"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        // The first mount of each host directory, with what it holds there.
        let mut first: HashMap<String, (Area, &Value)> = HashMap::new();
        for spec in cx.containers.iter().filter(|s| s.is_service && s.compose) {
            for (i, m) in spec.mounts.iter().enumerate() {
                let Some(src) = m.source.as_ref().filter(|s| !s.variable && m.is_bind()) else { continue };
                let Some(Holds::Area(area)) = holds(m) else { continue };
                let path = normalize(&src.text).into_owned();
                let anchor = spec.anchor_for(&format!("volumes#{i}"));
                let covered: Vec<Area> = DISKS.into_iter().filter(|d| under(d.root(), &path)).collect();
                if covered.len() >= 2 {
                    let what = match covered.iter().map(|a| a.what()).collect::<Vec<_>>().as_slice() {
                        [a, b] => format!("{a} and {b}"),
                        [a, b, c, ..] => format!("{a}, {b} and {c}"),
                        _ => String::new(),
                    };
                    sink.report(src.file, src.span, format!("`{path}` puts {what} in one volume"))
                        .help("mount each of data, databases and logs from its own directory (/storage/data/<component>, /storage/db/<component>, /storage/log/<component>)")
                        .anchor(anchor);
                    continue;
                }
                match first.get(&path) {
                    Some((other, at)) if *other != area => {
                        sink.report(
                            src.file,
                            src.span,
                            format!(
                                "`{path}` holds {} here and {} in another mount",
                                area.what(),
                                other.what()
                            ),
                        )
                        .label(at.file, at.span, format!("mounted for {} here", other.what()))
                        .help("give data, databases and logs directories of their own")
                        .anchor(anchor);
                    }
                    Some(_) => {}
                    None => {
                        first.insert(path, (area, src));
                    }
                }
            }
        }
    }
}
