//! The workspace's guard, one middleware in front of every route: the token when the server
//! listens beyond loopback, the Host check against DNS rebinding, same-origin and token checks
//! on every POST, a time bound on every request, and the headers that forbid inline script and
//! remote loads (Content-Security-Policy) and keep the page out of frames.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::Workspace;

/// The page may load only its own script, style and images, and talk only to this server.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
                       connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Longest time an answer may compute before the client is told to try a narrower question.
pub const ANSWER_TIME: Duration = Duration::from_secs(10);

/// Longest time a request may take in all, its wait in line for a turn included
/// (`api::answer_in_turn`): a bound on a request that would otherwise hang.
pub const REQUEST_TIME: Duration = Duration::from_secs(120);

/// What a request cut off by a time bound is told.
pub const TOO_LONG: &str = "the answer took too long; narrow the question (fewer links, a relation filter)";

/// Largest request body: a canvas of a few thousand ids.
pub const MAX_BODY: usize = 256 * 1024;

/// The header a POST carries its token in; the page reads it from its own `<meta>`.
pub const TOKEN_HEADER: &str = "x-threatgraph-token";
const COOKIE: &str = "threatgraph_token";

/// A fresh random token: 32 hex digits from the system's random source.
pub fn new_token() -> std::io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares in time independent of where the first difference is.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix(COOKIE)?.strip_prefix('='))
}

fn query_token(query: Option<&str>) -> Option<String> {
    form_urlencoded::parse(query?.as_bytes()).find(|(k, _)| k == "token").map(|(_, v)| v.into_owned())
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
}

/// Why a request may not be answered, if it may not.
fn check(ws: &Workspace, req: &Request) -> Result<bool, Response> {
    let headers = req.headers();
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    // On loopback without a token, only our own names: a page elsewhere that points a name
    // of its own at 127.0.0.1 (DNS rebinding) is refused.
    if !ws.token_required && !ws.hosts.iter().any(|h| h == host) {
        return Err(refuse(StatusCode::FORBIDDEN, "unexpected Host header"));
    }
    let from_query = query_token(req.uri().query());
    let mut set_cookie = false;
    if ws.token_required {
        let given = headers
            .get(TOKEN_HEADER)
            .and_then(|v| v.to_str().ok())
            .or_else(|| cookie_token(headers))
            .map(str::to_owned)
            .or_else(|| from_query.clone());
        if !given.is_some_and(|t| same(&t, &ws.token)) {
            return Err(refuse(
                StatusCode::UNAUTHORIZED,
                "this workspace needs its token: open the URL it printed",
            ));
        }
        set_cookie = from_query.is_some();
    }
    if req.method() == Method::POST {
        let token = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if !same(token, &ws.token) {
            return Err(refuse(StatusCode::FORBIDDEN, "a change needs the page's token"));
        }
        let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()).unwrap_or_default();
        if origin != format!("http://{host}") {
            return Err(refuse(StatusCode::FORBIDDEN, "cross-origin request refused"));
        }
    } else if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(refuse(StatusCode::METHOD_NOT_ALLOWED, "only GET and POST"));
    }
    Ok(set_cookie)
}

/// The middleware: checks, a time bound, and the security headers on every answer.
pub async fn guard(State(ws): State<Arc<Workspace>>, req: Request, next: Next) -> Response {
    let mut response = match check(&ws, &req) {
        Err(r) => r,
        Ok(set_cookie) => {
            let mut r = match tokio::time::timeout(REQUEST_TIME, next.run(req)).await {
                Ok(r) => r,
                Err(_) => refuse(StatusCode::SERVICE_UNAVAILABLE, TOO_LONG),
            };
            if set_cookie
                && let Ok(v) = HeaderValue::from_str(&format!(
                    "{COOKIE}={}; HttpOnly; SameSite=Strict; Path=/",
                    ws.token
                ))
            {
                r.headers_mut().insert(header::SET_COOKIE, v);
            }
            r
        }
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_hex_and_compared_whole() {
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b));
        assert!(!same(&a, &a[..31]));
    }

    #[test]
    fn reads_the_token_cookie_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; threatgraph_token=abc; b=2"));
        assert_eq!(cookie_token(&h), Some("abc"));
        assert_eq!(query_token(Some("x=1&token=t%20k")), Some("t k".to_owned()));
    }
}
