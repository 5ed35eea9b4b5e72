use vic_lint_core::rule::{ContainerCx, Rule, Sink};

/// SEC-2: seccomp, AppArmor and SELinux profiles are the kernel-side fence.
pub struct UnconfinedSecurityProfile;

const UNCONFINED: &[&str] =
    &["seccomp=unconfined", "apparmor=unconfined", "label=disable", "systempaths=unconfined"];

impl Rule for UnconfinedSecurityProfile {
    fn code(&self) -> &'static str {
        "K006"
    }

    fn check_container(&self, cx: &ContainerCx<'_>, sink: &mut Sink) {
        let spec = cx.spec;
        for (i, opt) in spec.security_opts.iter().enumerate() {
            let normal = opt.text.trim().replacen(':', "=", 1).to_ascii_lowercase();
            if UNCONFINED.contains(&normal.as_str()) {
                sink.report(
                    opt.file,
                    opt.span,
                    format!("`{}` turns off a kernel security profile", opt.text),
                )
                .help("keep Docker's default seccomp and AppArmor profiles, or ship a tailored profile")
                .anchor(spec.anchor_for(&format!("security_opt#{i}")));
            }
        }
    }
}
