use vic_lint_core::rule::{FileCx, Rule, Sink};
use vic_lint_syntax::version::is_hex_id;

/// VER-3: a tag can be moved to another image; the image ID says which build was shipped.
pub struct ImageEntryWithoutId;

impl Rule for ImageEntryWithoutId {
    fn code(&self) -> &'static str {
        "V003"
    }

    fn check_file(&self, cx: &FileCx<'_>, sink: &mut Sink) {
        let Some(v) = cx.version else { return };
        for e in &v.entries {
            let Some(img) = &e.image else { continue };
            let anchor = format!("{}/image", e.name);
            let tag = img.tag.as_deref().unwrap_or("v1.2.0");
            let example = format!("{}={}:{tag} <image id>", e.name, img.repository);
            if img.tag.is_none() && img.digest.is_none() {
                sink.report(
                    cx.file.id,
                    img.repository_span,
                    format!("the image `{}` is recorded without a tag", img.repository),
                )
                .help(format!("record the tag and the image ID: `{example}`"))
                .anchor(format!("{anchor}/tag"));
            }
            match (&img.id, img.id_span) {
                (Some(id), Some(span)) if !is_hex_id(id) => {
                    sink.report(
                        cx.file.id,
                        span,
                        format!("`{id}` is not an image ID (12 or more hex digits)"),
                    )
                    .help("use the ID `docker images --no-trunc` shows, at least its first 12 digits")
                    .anchor(format!("{anchor}/id"));
                }
                (None, _) => {
                    sink.report(
                        cx.file.id,
                        e.value_span,
                        format!("the image entry `{}` has no image ID", e.name),
                    )
                    .help(format!("append the image ID after a space: `{example}`"))
                    .anchor(format!("{anchor}/id"));
                }
                _ => {}
            }
        }
    }
}
