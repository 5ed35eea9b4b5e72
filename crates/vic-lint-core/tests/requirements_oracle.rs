#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The requirement catalogue (`requirements.toml`) against the design's requirement table
//! (`shared/REQUIREMENTS.md`, beside the repository), which is the oracle: same ids in the same
//! order, same levels, checks and design sections. `VL-1` to `VL-4` are vic-lint's own and come last.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use vic_lint_core::requirements::{catalogue, parse_catalogue};
use vic_lint_core::Level;

/// The requirements vic-lint adds for itself, in order; the design does not know them.
const PROJECT_ONLY: &[&str] = &["VL-1", "VL-2", "VL-3", "VL-4"];

const CHECK_KINDS: &[&str] =
    &["unit", "compose", "version", "docs", "drone", "layout", "harness", "process", "syntax"];

/// One row of the design's table.
#[derive(Debug, PartialEq, Eq)]
struct Row {
    id: String,
    level: String,
    check: Vec<String>,
    section: String,
}

fn requirements_md_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/REQUIREMENTS.md")
}

/// The oracle's text, or `None` (after a notice) when it is absent outside CI.
fn requirements_md() -> Option<String> {
    let path = requirements_md_path();
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => panic!(
            "../shared/REQUIREMENTS.md not found at {} ({e}): CI must check the requirement catalogue \
             against the design, so check out the shared folder beside the repository",
            path.display()
        ),
        Err(_) => {
            eprintln!("../shared/REQUIREMENTS.md not found: oracle test skipped");
            None
        }
    }
}

/// The rows of the table whose header starts `| id | level | check |`. Panics on a table that
/// does not have the expected shape: the oracle must not silently shrink.
fn parse_table(md: &str) -> Vec<Row> {
    let mut lines = md.lines().map(str::trim).skip_while(|l| !is_header(l));
    let header = lines.next().expect("no `| id | level | check | requirement | design section |` table");
    assert_eq!(cells(header).len(), 5, "unexpected header: {header}");
    let separator = lines.next().expect("table header without a separator line");
    assert!(separator.starts_with("|-") || separator.starts_with("| -"), "not a separator line: {separator}");
    let mut rows = Vec::new();
    for line in lines.take_while(|l| l.starts_with('|')) {
        let cells = cells(line);
        assert!(cells.len() >= 5, "row with {} cells: {line}", cells.len());
        // The requirement text is the only free-form column: a `|` in it would add cells in
        // the middle, so the section is taken from the end.
        rows.push(Row {
            id: cells[0].to_string(),
            level: cells[1].to_string(),
            check: cells[2].split(", ").map(str::to_string).collect(),
            section: cells[cells.len() - 1].to_string(),
        });
    }
    rows
}

fn is_header(line: &str) -> bool {
    let c = cells(line);
    c.len() == 5 && c[0] == "id" && c[1] == "level" && c[2] == "check"
}

fn cells(line: &str) -> Vec<&str> {
    let inner = line.trim().strip_prefix('|').and_then(|l| l.strip_suffix('|')).unwrap_or("");
    if inner.is_empty() {
        return Vec::new();
    }
    inner.split('|').map(str::trim).collect()
}

#[test]
fn catalogue_matches_requirements_md() {
    let Some(md) = requirements_md() else { return };
    let design = parse_table(&md);
    assert!(design.len() >= 50, "only {} rows read from REQUIREMENTS.md", design.len());
    assert!(
        design.iter().all(|r| !PROJECT_ONLY.contains(&r.id.as_str())),
        "{PROJECT_ONLY:?} are vic-lint's own requirements and must not be in REQUIREMENTS.md"
    );

    let all = catalogue();
    let (ours, own) = all.split_at(all.len().saturating_sub(PROJECT_ONLY.len()));
    let own_ids: Vec<&str> = own.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(own_ids, PROJECT_ONLY, "the catalogue must end with {PROJECT_ONLY:?}");
    assert!(ours.iter().all(|r| !PROJECT_ONLY.contains(&r.id.as_str())), "{PROJECT_ONLY:?} appear twice");

    let design_ids: Vec<&str> = design.iter().map(|r| r.id.as_str()).collect();
    let our_ids: Vec<&str> = ours.iter().map(|r| r.id.as_str()).collect();
    let missing: Vec<&&str> = design_ids.iter().filter(|id| !our_ids.contains(id)).collect();
    let extra: Vec<&&str> = our_ids.iter().filter(|id| !design_ids.contains(id)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing from requirements.toml: {missing:?}; not in REQUIREMENTS.md: {extra:?}"
    );
    assert_eq!(our_ids, design_ids, "requirements.toml lists the ids in another order than REQUIREMENTS.md");

    let mut differences = Vec::new();
    for (row, req) in design.iter().zip(ours) {
        let ours = Row {
            id: req.id.clone(),
            level: req.level.clone(),
            check: req.check.clone(),
            section: req.section.clone(),
        };
        if &ours != row {
            differences
                .push(format!("{}:\n  REQUIREMENTS.md   {row:?}\n  requirements.toml {ours:?}", row.id));
        }
    }
    assert!(differences.is_empty(), "{} requirements differ:\n{}", differences.len(), differences.join("\n"));
}

#[test]
fn embedded_catalogue_is_well_formed() {
    let parsed = parse_catalogue().expect("requirements.toml does not parse");
    assert!(!parsed.is_empty());
    // `catalogue()` falls back to an empty list on a parse error: make sure it did not.
    assert_eq!(catalogue().len(), parsed.len());

    let mut seen = HashSet::new();
    for req in catalogue() {
        assert!(seen.insert(req.id.as_str()), "duplicate id {}", req.id);
        let (prefix, number) =
            req.id.split_once('-').unwrap_or_else(|| panic!("{}: id is not PREFIX-N", req.id));
        assert!(
            !prefix.is_empty() && prefix.chars().all(|c| c.is_ascii_uppercase()),
            "{}: bad id prefix",
            req.id
        );
        assert!(number.parse::<u32>().is_ok_and(|n| n > 0), "{}: bad id number", req.id);

        assert!(req.level().is_some(), "{}: level `{}` does not parse", req.id, req.level);
        for part in req.level.split(" / ") {
            assert!(part.parse::<Level>().is_ok(), "{}: level part `{part}` does not parse", req.id);
        }
        assert!(!req.check.is_empty(), "{}: no check kind", req.id);
        for kind in &req.check {
            assert!(CHECK_KINDS.contains(&kind.as_str()), "{}: unknown check kind `{kind}`", req.id);
        }
        let kinds: HashSet<&String> = req.check.iter().collect();
        assert_eq!(kinds.len(), req.check.len(), "{}: a check kind is listed twice", req.id);
        assert!(!req.section.trim().is_empty(), "{}: no design section", req.id);
        assert!(!req.text.trim().is_empty(), "{}: no text", req.id);
    }
    assert_eq!(catalogue().last().map(|r| r.id.as_str()), PROJECT_ONLY.last().copied());
}

/// The table reader itself, so that the oracle test cannot pass by reading nothing.
#[test]
fn table_reader() {
    let md = "# T\n\nText | with a pipe.\n\n\
              | id | level | check | requirement (paraphrased) | design section |\n\
              |---|---|---|---|---|\n\
              | SVC-1 | SHOULD | unit, compose | A thing. | Reference Service |\n\
              | UPG-8 | SHOULD / MUST | harness | Logs `a|b` to stdout. | Upgrade Requirements |\n\
              \n| other | table |\n";
    assert_eq!(
        parse_table(md),
        vec![
            Row {
                id: "SVC-1".into(),
                level: "SHOULD".into(),
                check: vec!["unit".into(), "compose".into()],
                section: "Reference Service".into(),
            },
            Row {
                id: "UPG-8".into(),
                level: "SHOULD / MUST".into(),
                check: vec!["harness".into()],
                section: "Upgrade Requirements".into(),
            },
        ]
    );
}
