//! Paths on the appliance: the certificate directory a user fills with their own certificates.

use std::path::Path;

use vic_lint_core::discover::FileKind;
use vic_lint_core::rule::{FileCx, Rule, Sink};
use vic_lint_syntax::Span;

/// SEC-4: the appliance reads a user's certificate set as PEM files of documented names.
pub struct InvalidCertificateSet;

/// The files a user-provided set must hold, in the order their absence is reported.
const REQUIRED: &[&str] = &["server.crt", "server.key", "ca.crt"];

impl Rule for InvalidCertificateSet {
    fn code(&self) -> &'static str {
        "L001"
    }

    fn check_file(&self, cx: &FileCx<'_>, sink: &mut Sink) {
        if cx.kind != Some(FileKind::Certificate) {
            return;
        }
        let name = cx.file.fs_path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        // An unreadable file is E001's; it still speaks for the directory below.
        if cx.load_issue.is_none() {
            if let Some((span, message, help)) = pem_problem(name, &cx.file.text) {
                sink.report(cx.file.id, span, message).help(help).anchor("pem");
            }
        }
        // The set's first present file speaks for the directory, so a gap is reported once.
        let dir = cx.file.fs_path.parent().unwrap_or(Path::new("."));
        let first_present = vic_lint_core::discover::CERT_FILES.iter().find(|f| dir.join(f).is_file());
        if first_present != Some(&name) {
            return;
        }
        for missing in REQUIRED.iter().filter(|f| !dir.join(f).is_file()) {
            sink.report(cx.file.id, Span::empty(0), format!("the certificate directory has no `{missing}`"))
                .help("a user-provided set holds server.crt, server.key (unencrypted) and ca.crt, all PEM")
                .anchor(format!("missing/{missing}"));
        }
    }
}

/// What is wrong with one file's PEM content, if anything.
fn pem_problem(name: &str, text: &str) -> Option<(Span, String, &'static str)> {
    let first_line = Span::new(0, text.find('\n').unwrap_or(text.len()));
    let marker = |what: &str| text.find(&format!("-----BEGIN {what}-----"));
    if name.ends_with(".crt") {
        if marker("CERTIFICATE").is_none() || !text.contains("-----END CERTIFICATE-----") {
            return Some((
                first_line,
                format!("`{name}` is not a PEM certificate"),
                "write the certificate in PEM: `-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----`",
            ));
        }
        return None;
    }
    if let Some(at) = marker("ENCRYPTED PRIVATE KEY").or_else(|| text.find("Proc-Type: 4,ENCRYPTED")) {
        let end = text.get(at..).and_then(|t| t.find('\n')).map_or(text.len(), |n| at + n);
        return Some((Span::new(at, end), format!("`{name}` is encrypted"), "the appliance cannot ask for a passphrase: decrypt it with `openssl pkey -in key.pem -out server.key`"));
    }
    let pkcs8 = marker("PRIVATE KEY").is_some();
    let convertible = marker("RSA PRIVATE KEY").is_some() || marker("EC PRIVATE KEY").is_some();
    if !pkcs8 && !convertible {
        return Some((
            first_line,
            format!("`{name}` is not a PEM private key"),
            "write the key in PEM, PKCS#8 (`-----BEGIN PRIVATE KEY-----`) preferred",
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::pem_problem;

    #[test]
    fn pem_contents() {
        let cert = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert!(pem_problem("ca.crt", cert).is_none());
        assert!(pem_problem("ca.crt", "junk").is_some());
        assert!(pem_problem("server.key", "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n")
            .is_none());
        assert!(pem_problem("server.key", "-----BEGIN RSA PRIVATE KEY-----\nx\n").is_none());
        let enc = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nx\n";
        assert_eq!(pem_problem("server.key", enc).map(|p| p.0.range()), Some(0..37));
        assert!(
            pem_problem("server.key", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n").is_some()
        );
        assert!(pem_problem("server.key", cert).is_some());
    }
}
