//! `threatgraph serve`: the analyst workspace, a local web app over the graph (see
//! [`crate::serve`] and the README's "Workspace").

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use super::{CliError, Global, Outcome, load_graph};
use crate::serve::{Settings, Workspace, security};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 7878)]
    pub port: u16,
    /// Listen on this address instead of 127.0.0.1; every request must then carry the
    /// token (printed, or given with --token).
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<IpAddr>,
    /// The token every request must carry (at least 16 characters); with --bind beyond
    /// loopback a random one is made when not given. Given on loopback, it is required there too.
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
    /// Turn on the review queue: accept or reject extracted facts, written as `review` does.
    /// Without it the server writes nothing.
    #[arg(long)]
    pub review: bool,
}

pub fn run(g: &Global, args: Args) -> Result<Outcome, CliError> {
    let ip = args.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
    let token_required = !ip.is_loopback() || args.token.is_some();
    let token = match args.token {
        Some(t)
            if t.len() < 16 || !t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            return Err(CliError::Usage {
                message: "the token must be at least 16 letters, digits, `-` or `_`".into(),
                help: "leave out --token to have one generated".into(),
            });
        }
        Some(t) => t,
        None => security::new_token()?,
    };
    let graph = std::mem::ManuallyDrop::into_inner(load_graph(g)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(crate::serve::answering_threads())
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, args.port)).await?;
        let addr = listener.local_addr()?;
        let settings = Settings {
            data: g.data.clone(),
            curated_only: g.curated_only,
            min_certainty: g.min_certainty,
            no_cache: g.no_cache,
            as_of: g.as_of,
            review: args.review,
            token_required,
            token: token.clone(),
        };
        let shown = if ip.is_loopback() { format!("127.0.0.1:{}", addr.port()) } else { addr.to_string() };
        let url = if token_required {
            format!("http://{shown}/?token={token}")
        } else {
            format!("http://{shown}/")
        };
        let writes = if args.review {
            "review queue on: accepted and rejected facts are written"
        } else {
            "read-only"
        };
        // A closed stdout (the caller stopped reading) must not stop the server.
        let _ = writeln!(
            std::io::stdout(),
            "threatgraph workspace at {url}\n({} entities, {} links; {writes}; Ctrl-C stops it)",
            graph.entity_count(),
            graph.links().len()
        );
        let _ = std::io::stdout().flush();
        let ws = Arc::new(Workspace::new(settings, graph, addr));
        crate::serve::serve(ws, listener, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
    })?;
    Ok(Outcome::Yes)
}
