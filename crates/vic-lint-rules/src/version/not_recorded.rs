use std::collections::{HashMap, HashSet};

use vic_lint_core::rule::{ComponentCx, Rule, Sink};
use vic_lint_syntax::version::{parse_image_ref, ImageRef};

/// VER-3: the version file lists what the appliance runs; an image run but not recorded is a
/// build nobody can identify later.
pub struct ImageNotRecorded;

/// `docker.io/library/redis` and `redis` are one repository.
fn normalize(repo: &str) -> &str {
    let r = repo.strip_prefix("docker.io/").unwrap_or(repo);
    r.strip_prefix("library/").unwrap_or(r)
}

impl Rule for ImageNotRecorded {
    fn code(&self) -> &'static str {
        "V004"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        if cx.versions.is_empty() {
            return;
        }
        // By repository: the first entry recorded for it, and every tag recorded for it.
        type First<'a, 'd> = (&'a ImageRef, &'a vic_lint_core::rule::VersionDoc<'d>);
        let mut recorded: HashMap<&str, (First<'_, '_>, HashSet<Option<&str>>)> = HashMap::new();
        for v in cx.versions {
            for image in v.parsed.entries.iter().filter_map(|e| e.image.as_ref()) {
                let (_, tags) =
                    recorded.entry(normalize(&image.repository)).or_insert(((image, v), HashSet::new()));
                tags.insert(image.tag.as_deref());
            }
        }
        for spec in cx.containers {
            let Some(image) = spec.image.as_ref().filter(|i| !i.variable) else { continue };
            let run = parse_image_ref(&image.text, 0);
            let same_repo = recorded.get(normalize(&run.repository));
            let anchor = spec.anchor_for("image");
            match same_repo.map(|(first, tags)| (first, tags.contains(&run.tag.as_deref()))) {
                None => {
                    sink.report(
                        image.file,
                        image.span,
                        format!("the image `{}` is not recorded in the version file", image.text),
                    )
                    .help(format!("add `<name>={} <image id>` to the version file", image.text))
                    .anchor(anchor);
                }
                Some(((r, doc), false)) => {
                    let recorded = r
                        .tag
                        .as_deref()
                        .map_or_else(|| "it without a tag".to_string(), |t| format!("tag `{t}`"));
                    let f = sink.report(
                        image.file,
                        image.span,
                        format!("runs `{}`, but the version file records {recorded}", image.text),
                    );
                    f.help("run the image the version file records, or record the one that runs")
                        .anchor(anchor);
                    f.label(doc.source.id, r.tag_span.unwrap_or(r.repository_span), "recorded here");
                }
                Some(_) => {}
            }
        }
    }
}
