use vic_lint_core::rule::{ComponentCx, Rule, Sink};

use super::{heading_span, lines};

/// UPG-7: the appliance turns each exit code of an upgrade into a message for the user.
pub struct UndocumentedUpgradeExitCode;

impl Rule for UndocumentedUpgradeExitCode {
    fn code(&self) -> &'static str {
        "D004"
    }

    fn check_component(&self, cx: &ComponentCx<'_>, sink: &mut Sink) {
        let has_upgrade = cx.upgrade.declared
            || cx.composes.iter().any(|c| c.model.services.iter().any(|s| s.name.contains("upgrade")))
            || cx.units.iter().any(|u| u.name.contains("upgrade"));
        if !has_upgrade {
            return;
        }
        for doc in cx.docs {
            let at = heading_span(doc, "upgrade");
            let Some(documented) = documented_codes(&doc.source.text) else {
                sink.report(doc.source.id, at, "the upgrade's exit codes are not documented")
                    .help("list each non-zero exit code of the upgrade with the message the user should see")
                    .anchor("exit-codes");
                continue;
            };
            for (code, message) in cx.upgrade.exit_codes.iter().filter(|(c, _)| *c != 0) {
                if documented.contains(code) {
                    continue;
                }
                sink.report(doc.source.id, at, format!("exit code {code} of the upgrade is not documented"))
                    .help(format!("document it, e.g. `- {code}: {message}`"))
                    .anchor(format!("exit-codes/{code}"));
            }
        }
    }
}

/// The numbers on lines about exit codes: lines under a heading that mentions exit codes, and
/// any line that mentions an exit code itself. `None` when no line mentions exit codes at all.
fn documented_codes(text: &str) -> Option<Vec<i64>> {
    let mut found = None::<Vec<i64>>;
    let mut under_heading = false;
    for line in lines(text) {
        let l = line.to_ascii_lowercase();
        let mentions = l.contains("exit code") || l.contains("exit status");
        if l.trim_start().starts_with('#') {
            under_heading = mentions;
        }
        if mentions || under_heading {
            let codes = found.get_or_insert_with(Vec::new);
            codes.extend(
                l.split(|c: char| !c.is_ascii_digit() && c != '-').filter_map(|w| w.parse::<i64>().ok()),
            );
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::documented_codes;

    #[test]
    fn codes_under_a_heading_or_on_exit_code_lines() {
        let doc = "## Upgrade exit codes\n| code | message |\n| 3 | newer data |\n| 4 | no disk |\n";
        assert_eq!(documented_codes(doc), Some(vec![3, 4]));
        assert_eq!(documented_codes("- Exit code 2: bad input\n"), Some(vec![2]));
        assert_eq!(documented_codes("# Upgrade\nNothing.\n"), None);
    }
}
