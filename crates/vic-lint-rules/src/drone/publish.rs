use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use super::model::{all, anchor, condition, Step};

/// CI-8: releases are tagged and their artifacts uploaded and kept.
pub struct NoTagPublishStep;

const PUBLISH_IMAGES: &[&str] =
    &["docker", "gcs", "s3", "publish", "upload", "release", "artifactory", "bintray", "ecr", "gcr"];
const PUBLISH_COMMANDS: &[&str] =
    &["push", "upload", "gsutil", "aws s3", "curl -t", "curl --upload-file", "scp", "rsync"];

fn publishes(step: &Step<'_>) -> bool {
    let image = step.image.map(str::to_ascii_lowercase).unwrap_or_default();
    PUBLISH_IMAGES.iter().any(|p| image.contains(p))
        || step.commands.iter().any(|c| {
            let c = c.to_ascii_lowercase();
            PUBLISH_COMMANDS.iter().any(|p| c.contains(p))
        })
}

fn on_tags(cond: Option<&vic_lint_syntax::yaml::Node>) -> bool {
    condition(cond, "event").contains(&"tag")
        || condition(cond, "ref").iter().any(|r| r.starts_with("refs/tags"))
}

impl Rule for NoTagPublishStep {
    fn code(&self) -> &'static str {
        "P003"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        if cx.drones.is_empty() {
            return;
        }
        let pipelines = all(cx);
        let found = pipelines
            .iter()
            .any(|p| p.steps.iter().any(|s| publishes(s) && (on_tags(s.when) || on_tags(p.trigger))));
        if found {
            return;
        }
        let Some((file, span)) = anchor(cx, &pipelines) else { return };
        sink.report(file, span, "no step publishes the build when a tag is pushed")
            .help("add a publish step with `when: {event: tag}` that uploads the release artifacts")
            .anchor("publish-on-tag");
    }
}
