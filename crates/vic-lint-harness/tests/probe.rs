#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The UI probe on real sockets: HTTPS against `openssl s_server` with a self-signed certificate
//! (accepted; the evidence says whether it is the tree's; without openssl the test says so, and
//! fails with `CI=true`), a refusing port, and an address this host cannot reach.

use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use vic_lint_harness::manifest::{Scheme, Ui, DEFAULT_UI_ERROR_PATTERN};
use vic_lint_harness::probe::{self, Outcome};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn self_signed(dir: &Path, name: &str) -> bool {
    let (key, cert) = (format!("{name}.key"), format!("{name}.pem"));
    Command::new("openssl")
        .args(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=vic-lint-test", "-days", "1"])
        .args(["-keyout", &key, "-out", &cert])
        .current_dir(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn ui(port: u16, certificate: Option<&str>) -> Ui {
    Ui {
        port,
        scheme: Scheme::Https,
        path: "/".into(),
        certificate: certificate.map(str::to_string),
        error_pattern: regex::Regex::new(DEFAULT_UI_ERROR_PATTERN).unwrap(),
        span: vic_lint_syntax::Span::new(0, 0),
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

const LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_accepts_a_self_signed_certificate_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    if !self_signed(dir.path(), "server") || !self_signed(dir.path(), "other") {
        let why = "the HTTPS probe test needs the openssl command (apt-get install openssl)";
        assert!(!std::env::var("CI").is_ok_and(|v| v == "true"), "{why}");
        eprintln!("skipped: {why}");
        return;
    }
    let port = free_port();
    let _server = Server(
        Command::new("openssl")
            .args(["s_server", "-quiet", "-www", "-accept", &port.to_string()])
            .args(["-cert", "server.pem", "-key", "server.key"])
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let answer = loop {
        match probe::once(&ui(port, Some("server.pem")), LOCAL, dir.path(), Duration::from_secs(2)).await {
            Outcome::NoAnswer(_) if Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            other => break other,
        }
    };
    let Outcome::Answer { status, certificate, .. } = &answer else { panic!("no answer: {answer:?}") };
    assert_eq!(*status, 200);
    assert_eq!(certificate.as_deref(), Some("the tree's certificate (server.pem)"));

    let other = probe::once(&ui(port, Some("other.pem")), LOCAL, dir.path(), Duration::from_secs(2)).await;
    let Outcome::Answer { certificate, .. } = &other else { panic!("no answer: {other:?}") };
    assert!(
        certificate.as_deref().unwrap().starts_with("a certificate other than the tree's other.pem"),
        "{other:?}"
    );

    // Plain HTTP to a TLS port ends within the probe's deadline, whatever it reads.
    let plain = Ui { scheme: Scheme::Http, ..ui(port, None) };
    let started = Instant::now();
    let _ = probe::once(&plain, LOCAL, dir.path(), Duration::from_secs(2)).await;
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_closed_port_is_refused() {
    let port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let plain = Ui { scheme: Scheme::Http, ..ui(port, None) };
    let out = probe::once(&plain, LOCAL, dir.path(), Duration::from_secs(2)).await;
    assert!(matches!(&out, Outcome::NoAnswer(why) if why == "connection refused"), "{out:?}");
}

/// A container as the probe sees it, at 127.0.0.1, reachable or not.
struct Fake {
    reachable: bool,
}

impl probe::Target for Fake {
    async fn address(&self) -> Option<IpAddr> {
        Some(LOCAL)
    }

    async fn running(&self) -> bool {
        true
    }

    async fn reachable(&self, _: IpAddr) -> bool {
        self.reachable
    }
}

#[tokio::test]
async fn watching_blames_a_silent_ui_only_where_the_address_is_reachable() {
    let dir = tempfile::tempdir().unwrap();
    let window = Duration::from_millis(1500);
    let refusing = Ui { scheme: Scheme::Http, ..ui(free_port(), None) };
    let refused =
        probe::watch(&Fake { reachable: false }, &refusing, dir.path(), Instant::now(), window).await;
    let refused = refused.unwrap();
    assert!(matches!(&refused.outcome, Outcome::NoAnswer(why) if why == "connection refused"), "{refused:?}");
    assert!(refused.url.starts_with("http://127.0.0.1:"), "{}", refused.url);

    // Accepted by the kernel, never answered: a timeout, which an unreachable network gives too.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let mute = Ui { scheme: Scheme::Http, ..ui(silent.local_addr().unwrap().port(), None) };
    let blamed =
        probe::watch(&Fake { reachable: true }, &mute, dir.path(), Instant::now(), window).await.unwrap();
    assert!(
        matches!(&blamed.outcome, Outcome::NoAnswer(why) if why.starts_with("no answer within")),
        "{blamed:?}"
    );
    let why = probe::watch(&Fake { reachable: false }, &mute, dir.path(), Instant::now(), window)
        .await
        .unwrap_err();
    assert!(why.contains("cannot be reached from this host"), "{why}");
}
