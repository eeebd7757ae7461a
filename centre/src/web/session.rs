//! A page request's context and answers: the cookies, the language, the signed-in user and
//! their role, the form token check, and the answer as HTML with the page's security headers
//! (a content security policy that allows only the centre's own style sheet and script, no
//! framing, no caching of pages that show citizens).

use std::net::{IpAddr, SocketAddr};

use askama::Template;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::i18n::{Lang, Texts};
use crate::accounts::{Role, Session, User};
use crate::server::Shared;
use crate::store::{Centre, Refusal};

pub(crate) const SESSION_COOKIE: &str = "gadeplan_session";
pub(crate) const LANG_COOKIE: &str = "gadeplan_lang";

/// What the request brings, taken before the work moves to the blocking pool.
#[derive(Debug, Clone)]
pub(crate) struct Incoming {
    headers: HeaderMap,
    uri: Uri,
    method: Method,
    pub source: IpAddr,
    pub secure: bool,
}

impl Incoming {
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    }

    /// A query parameter (the page's links carry few).
    pub fn query(&self, name: &str) -> Option<String> {
        self.uri.query().and_then(|q| {
            q.split('&')
                .filter_map(|pair| pair.split_once('='))
                .find(|(k, _)| *k == name)
                .map(|(_, v)| percent_decode(v))
        })
    }

    /// `?lang=` first (and then kept in a cookie), else the cookie, else Danish.
    pub fn lang(&self) -> Lang {
        self.query("lang")
            .and_then(|l| Lang::parse(&l))
            .or_else(|| self.cookie(LANG_COOKIE).and_then(|l| Lang::parse(&l)))
            .unwrap_or(Lang::Da)
    }

    pub fn path(&self) -> &str {
        self.uri.path()
    }

    /// The address the browser used, for links the phone scans (`Host`, as the scheme served).
    pub fn base_url(&self) -> Option<String> {
        let host = self.headers.get(header::HOST)?.to_str().ok()?;
        let scheme = if self.secure { "https" } else { "http" };
        Some(format!("{scheme}://{host}"))
    }

    /// A form's `Origin`, when the browser sends one, must be this page's own.
    pub fn same_origin(&self) -> bool {
        let Some(origin) = self.headers.get(header::ORIGIN) else {
            return true;
        };
        let host = self.headers.get(header::HOST).and_then(|h| h.to_str().ok());
        let origin = origin.to_str().unwrap_or_default();
        host.is_some_and(|h| {
            origin.strip_prefix("http://") == Some(h) || origin.strip_prefix("https://") == Some(h)
        })
    }

    pub fn cookie_attributes(&self) -> &'static str {
        if self.secure {
            "; Path=/; HttpOnly; SameSite=Strict; Secure"
        } else {
            "; Path=/; HttpOnly; SameSite=Strict"
        }
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[i + 1..i + 3]), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) use crate::calendar::{local, today};

/// Every page handler takes the request's context as one extractor.
impl FromRequestParts<Shared> for Incoming {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Shared,
    ) -> Result<Self, Self::Rejection> {
        let source = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |ConnectInfo(a)| a.ip());
        Ok(Incoming {
            headers: parts.headers.clone(),
            uri: parts.uri.clone(),
            method: parts.method.clone(),
            source,
            secure: state.secure_cookies,
        })
    }
}

/// A signed-in request, as a page's work sees it.
pub(crate) struct Ctx<'a> {
    pub centre: &'a Centre,
    pub incoming: &'a Incoming,
    pub user: User,
    pub session: Session,
    pub lang: Lang,
}

impl Ctx<'_> {
    pub fn t(&self) -> &'static Texts {
        self.lang.texts()
    }

    /// The leader's team (pages for leaders only are reached with one).
    pub fn team(&self) -> &str {
        self.user.team.as_deref().unwrap_or_default()
    }

    pub fn source(&self) -> String {
        self.incoming.source.to_string()
    }

    /// The frame every page shares.
    pub fn chrome(&self, title: &str) -> Chrome {
        let t = self.t();
        let here = self.incoming.path();
        let links: &[(&str, &str, Role)] = &[
            ("/team", t.nav_overview, Role::Leader),
            ("/indicators", t.nav_indicators, Role::Leader),
            ("/devices", t.nav_devices, Role::Operator),
            ("/audit", t.nav_audit, Role::Auditor),
        ];
        Chrome {
            t,
            lang: self.lang.code(),
            other_lang: self.lang.other().code(),
            title: title.to_string(),
            user: Some(self.user.name.clone()),
            team: self.user.team.clone(),
            csrf: self.session.csrf.clone(),
            nav: links
                .iter()
                .filter(|(_, _, role)| *role == self.user.role)
                .map(|(href, label, _)| NavLink {
                    href: href.to_string(),
                    label: label.to_string(),
                    current: here.starts_with(href),
                })
                .collect(),
        }
    }

    /// Records what the signed-in person read or did, by their account, from where they are.
    pub fn audit(
        &self,
        action: &str,
        team: Option<&str>,
        subject: Option<&str>,
        detail: Option<String>,
    ) -> Result<(), Refusal> {
        self.centre.audit_event(crate::audit::AuditEvent {
            actor: self.actor(),
            action: action.into(),
            team: team.map(Into::into),
            subject: subject.map(Into::into),
            detail,
            source: Some(self.source()),
        })?;
        Ok(())
    }

    /// The signed-in person as the audit log names them.
    pub fn actor(&self) -> String {
        format!("user:{}", self.user.name)
    }

    /// Refuses a form whose token is not the session's, or sent from another origin.
    pub fn check_form(&self, token: &str) -> Result<(), Refusal> {
        if !self.incoming.same_origin() || !same_secret(token, &self.session.csrf) {
            return Err(Refusal::new(
                403,
                "csrf",
                "the form is not from this session; reload the page and try again",
            ));
        }
        Ok(())
    }
}

/// Compares two secrets in time that does not depend on where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The frame around every page: header, navigation, sign-out, language.
pub(crate) struct Chrome {
    pub t: &'static Texts,
    pub lang: &'static str,
    pub other_lang: &'static str,
    pub title: String,
    pub user: Option<String>,
    pub team: Option<String>,
    pub csrf: String,
    pub nav: Vec<NavLink>,
}

impl Chrome {
    /// The frame of a page shown before sign-in.
    pub fn signed_out(lang: Lang, title: &str) -> Chrome {
        Chrome {
            t: lang.texts(),
            lang: lang.code(),
            other_lang: lang.other().code(),
            title: title.to_string(),
            user: None,
            team: None,
            csrf: String::new(),
            nav: Vec::new(),
        }
    }
}

pub(crate) struct NavLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// What a page's work answers.
pub(crate) enum Answer {
    /// A page, or a piece of one the page's script fetches.
    Page(String),
    /// After a form: see the page again (303).
    Redirect(String),
    Csv {
        filename: String,
        body: String,
    },
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    message: String,
}

/// A page's headers: no caching (it shows citizens), no framing, only the centre's own style
/// and script, no referrer leaving the page for another site.
fn secured(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; \
             connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Not `no-referrer`: with it a browser sends `Origin: null` on a form, and the same-origin
    // check could not tell the page's own forms from others'.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

pub(crate) fn html(status: StatusCode, body: String) -> Response {
    secured(
        (
            status,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            body,
        )
            .into_response(),
    )
}

pub(crate) fn redirect(to: &str) -> Response {
    secured(
        (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, to.to_string())],
            String::new(),
        )
            .into_response(),
    )
}

pub(crate) fn render<T: Template>(page: &T) -> Result<String, Refusal> {
    page.render()
        .map_err(|e| Refusal::new(500, "internal", format!("the page failed to render: {e}")))
}

/// A refusal as a page, in the request's language.
pub(crate) fn refused(incoming: &Incoming, chrome: Option<Chrome>, r: &Refusal) -> Response {
    let lang = incoming.lang();
    let t = lang.texts();
    let message = match r.code.as_str() {
        // The details of a failure inside the centre are for its log, not the page.
        _ if r.status >= 500 => t.internal_error.to_string(),
        "forbidden" => t.not_allowed.to_string(),
        "csrf" => t.form_refused.to_string(),
        "not-found" | "no-person" | "no-citizen" => t.not_found.to_string(),
        _ => r.message.clone(),
    };
    let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let page = ErrorPage {
        chrome: chrome.unwrap_or_else(|| Chrome::signed_out(lang, t.error)),
        message,
    };
    html(status, render(&page).unwrap_or_else(|_| r.message.clone()))
}

fn answer(incoming: &Incoming, answer: Answer) -> Response {
    let mut response = match answer {
        Answer::Page(body) => html(StatusCode::OK, body),
        Answer::Redirect(to) => redirect(&to),
        Answer::Csv { filename, body } => secured(
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{filename}\""),
                    ),
                ],
                body,
            )
                .into_response(),
        ),
    };
    // A language chosen by a link is kept for the next pages.
    if let Some(lang) = incoming.query("lang").and_then(|l| Lang::parse(&l))
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; SameSite=Strict; Max-Age=31536000",
            lang.code()
        ))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

fn forbidden() -> Refusal {
    Refusal::new(403, "forbidden", "your role gives no access to this page")
}

/// Runs a page's work for a signed-in user of one of `roles`, off the async threads. Without a
/// session a page is answered by the sign-in page (303), a form or a fragment by 401.
pub(crate) async fn signed_in(
    state: Shared,
    incoming: Incoming,
    roles: &'static [Role],
    work: impl FnOnce(&Ctx) -> Result<Answer, Refusal> + Send + 'static,
) -> Response {
    let done = tokio::task::spawn_blocking(move || {
        let centre = &state.centre;
        let token = incoming
            .cookie(incoming.session_cookie())
            .unwrap_or_default();
        let session = match centre.session(&token, !incoming.is_refresh()) {
            Ok(session) => session,
            Err(r) => return Err(Box::new((incoming, None, r))),
        };
        let ctx = Ctx {
            centre,
            incoming: &incoming,
            user: session.user.clone(),
            session: session.clone(),
            lang: incoming.lang(),
        };
        if !roles.contains(&ctx.user.role) {
            let chrome = ctx.chrome(ctx.t().error);
            return Err(Box::new((incoming.clone(), Some(chrome), forbidden())));
        }
        match work(&ctx) {
            Ok(done) => Ok(answer(&incoming, done)),
            Err(r) => {
                let chrome = ctx.chrome(ctx.t().error);
                Err(Box::new((incoming.clone(), Some(chrome), r)))
            }
        }
    })
    .await;
    match done {
        Ok(Ok(response)) => response,
        Ok(Err(refused_with)) => {
            let (incoming, chrome, r) = *refused_with;
            if r.status >= 500 {
                tracing::error!(event = "page-failed", code = %r.code, message = %r.message);
            }
            if r.status == 401 && incoming.is_page_navigation() {
                return redirect("/login");
            }
            refused(&incoming, chrome, &r)
        }
        Err(_) => html(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the request failed inside the centre".into(),
        ),
    }
}

impl Incoming {
    /// A plain GET of a page (not a form, not the script's fetch of a fragment).
    fn is_page_navigation(&self) -> bool {
        self.method == Method::GET && !self.is_refresh()
    }

    /// The page's script refreshing a part of it, not the person asking.
    pub fn is_refresh(&self) -> bool {
        self.headers.get("x-requested-with").is_some()
    }

    /// The session cookie's name: with the `__Host-` prefix over HTTPS, which a browser keeps
    /// only if it was set by this host itself, secure, for the whole site (a sibling subdomain
    /// cannot plant one).
    pub fn session_cookie(&self) -> &'static str {
        if self.secure {
            "__Host-gadeplan_session"
        } else {
            SESSION_COOKIE
        }
    }

    /// The sign-in form's cookie, named as the session's is.
    pub fn form_cookie(&self) -> &'static str {
        if self.secure {
            "__Host-gadeplan_form"
        } else {
            "gadeplan_form"
        }
    }
}

/// `/`: each role's first page.
pub(crate) async fn home(State(state): State<Shared>, incoming: Incoming) -> Response {
    signed_in(
        state,
        incoming,
        &[Role::Leader, Role::Operator, Role::Auditor],
        |ctx| {
            Ok(Answer::Redirect(
                match ctx.user.role {
                    Role::Leader => "/team",
                    Role::Operator => "/devices",
                    Role::Auditor => "/audit",
                }
                .into(),
            ))
        },
    )
    .await
}

pub(crate) async fn style() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../../static/page.css"),
    )
        .into_response()
}

pub(crate) async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../../static/page.js"),
    )
        .into_response()
}
