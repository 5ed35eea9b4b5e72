//! Probing a component's primary UI (RUN-2) at its container's address on the run's network.
//!
//! One GET per probe, with a deadline, reading at most `BODY_CAP` bytes. HTTPS accepts any
//! certificate the UI serves (a degraded component may fall back to a self-signed one) and
//! notes whether it is the one from the data tree.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::time::{Duration, Instant};

use http_body_util::BodyExt;
use tokio::io::{AsyncRead, AsyncWrite};

use crate::manifest::{Scheme, Ui};

mod page;
mod tls;

pub use page::{judge, Verdict};

/// Enough of a page to judge it; the rest is not read.
const BODY_CAP: usize = 64 * 1024;
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);
const INTERVAL: Duration = Duration::from_millis(500);

/// What one probe saw.
#[derive(Debug, Clone)]
pub struct Probe {
    pub url: String,
    /// Since the container started.
    pub at: Duration,
    pub outcome: Outcome,
}

#[derive(Debug, Clone)]
pub enum Outcome {
    Answer {
        status: u16,
        body: String,
        /// HTTPS: what the served certificate was.
        certificate: Option<String>,
    },
    NoAnswer(String),
}

pub fn url(ui: &Ui, ip: Option<IpAddr>) -> String {
    let scheme = match ui.scheme {
        Scheme::Http => "http",
        Scheme::Https => "https",
    };
    let host =
        ip.map_or_else(|| format!("<container>:{}", ui.port), |ip| SocketAddr::new(ip, ui.port).to_string());
    format!("{scheme}://{host}{}", ui.path)
}

/// One GET of the UI at `ip`; never longer than `timeout`.
pub async fn once(ui: &Ui, ip: IpAddr, tree: &Path, timeout: Duration) -> Outcome {
    match tokio::time::timeout(timeout, get(ui, ip, tree)).await {
        Ok(Ok(answer)) => answer,
        Ok(Err(why)) => Outcome::NoAnswer(why),
        Err(_) => Outcome::NoAnswer(format!("no answer within {:.1} s", timeout.as_secs_f64())),
    }
}

async fn get(ui: &Ui, ip: IpAddr, tree: &Path) -> Result<Outcome, String> {
    let addr = SocketAddr::new(ip, ui.port);
    let tcp = tokio::net::TcpStream::connect(addr).await.map_err(|e| describe(&e))?;
    match ui.scheme {
        Scheme::Http => request(tcp, ui, addr, None).await,
        Scheme::Https => {
            let expected = ui.certificate.as_deref().map(|c| tree.join(c));
            let (stream, served) = tls::connect(tcp, ip, expected.as_deref()).await?;
            request(stream, ui, addr, Some(served)).await
        }
    }
}

async fn request<S>(
    stream: S,
    ui: &Ui,
    addr: SocketAddr,
    certificate: Option<String>,
) -> Result<Outcome, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let io = hyper_util::rt::TokioIo::new(stream);
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(io).await.map_err(|e| format!("HTTP handshake failed: {e}"))?;
    let driver = tokio::spawn(conn);
    let req = hyper::Request::get(ui.path.as_str())
        .header(hyper::header::HOST, addr.to_string())
        .header(hyper::header::USER_AGENT, concat!("vic-lint/", env!("CARGO_PKG_VERSION")))
        .header(hyper::header::ACCEPT, "text/html, */*")
        .body(http_body_util::Empty::<hyper::body::Bytes>::new())
        .map_err(|e| format!("cannot build the request: {e}"))?;
    let response = sender.send_request(req).await.map_err(|e| format!("the connection broke: {e}"))?;
    let status = response.status().as_u16();
    let mut body = response.into_body();
    let mut bytes: Vec<u8> = Vec::new();
    while bytes.len() < BODY_CAP {
        match body.frame().await {
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    bytes.extend_from_slice(data);
                }
            }
            // A body cut short still shows what the user would have seen of it.
            Some(Err(_)) | None => break,
        }
    }
    bytes.truncate(BODY_CAP);
    driver.abort();
    Ok(Outcome::Answer { status, body: String::from_utf8_lossy(&bytes).into_owned(), certificate })
}

fn describe(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".into(),
        std::io::ErrorKind::ConnectionReset => "connection reset".into(),
        _ => e.to_string(),
    }
}

/// Where the engine says the container is; `running` tells whether it still runs.
pub trait Target {
    fn address(&self) -> impl std::future::Future<Output = Option<IpAddr>> + Send;
    fn running(&self) -> impl std::future::Future<Output = bool> + Send;
    /// Whether this host can reach `ip` at all.
    fn reachable(&self, ip: IpAddr) -> impl std::future::Future<Output = bool> + Send {
        reachable(ip)
    }
}

/// Probes every `INTERVAL` while `window` after `started` lasts and returns the last probe: what the
/// user sees at the end of the run. A container that has exited has taken its UI with it. An
/// address this host cannot reach at all (Docker Desktop, rootless Docker) is an `Err`: the
/// scenario cannot judge the UI, and must not blame it.
pub async fn watch(
    target: &impl Target,
    ui: &Ui,
    tree: &Path,
    started: Instant,
    window: Duration,
) -> Result<Probe, String> {
    let mut last: Option<(Probe, IpAddr)> = None;
    loop {
        let left = window.saturating_sub(started.elapsed());
        if left.is_zero() {
            break;
        }
        if !target.running().await {
            let url = last.as_ref().map_or_else(|| url(ui, None), |(p, _)| p.url.clone());
            let outcome = Outcome::NoAnswer("the container exited, and its UI with it".into());
            return Ok(Probe { url, at: started.elapsed(), outcome });
        }
        if let Some(ip) = target.address().await {
            let at = started.elapsed();
            // The full deadline even at the end of the window: the container is stopped only
            // after the last probe, and a probe cut short would blame a UI that was only slow.
            let outcome = once(ui, ip, tree, PROBE_TIMEOUT).await;
            last = Some((Probe { url: url(ui, Some(ip)), at, outcome }, ip));
        }
        let left = window.saturating_sub(started.elapsed());
        tokio::time::sleep(INTERVAL.min(left)).await;
    }
    let Some((probe, ip)) = last else {
        return Err("the container had no address on the run's network".into());
    };
    let refused = matches!(&probe.outcome, Outcome::NoAnswer(why) if why.starts_with("connection re"));
    if matches!(probe.outcome, Outcome::NoAnswer(_)) && !refused && !target.reachable(ip).await {
        return Err(format!(
            "the container's address {ip} cannot be reached from this host (Docker Desktop and rootless \
             Docker keep container networks apart from it)"
        ));
    }
    Ok(probe)
}

/// A port nothing listens on answers a reachable host at once with a refusal; an unreachable
/// one gives a timeout or a routing error.
async fn reachable(ip: IpAddr) -> bool {
    let closed = SocketAddr::new(ip, 1);
    match tokio::time::timeout(Duration::from_secs(1), tokio::net::TcpStream::connect(closed)).await {
        Ok(Ok(_)) => true,
        Ok(Err(e)) => e.kind() == std::io::ErrorKind::ConnectionRefused,
        Err(_) => false,
    }
}
