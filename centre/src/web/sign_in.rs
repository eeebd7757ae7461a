//! Signing in and out. The sign-in form has no session yet, so its token is a cookie of its own
//! that the form repeats (a "double submit"): a page on another site can neither read the cookie
//! nor, with `SameSite=Strict`, send it. A failed sign-in is answered the same way whatever
//! failed (unknown name, wrong password, locked account), and the account's lock-out is the
//! `accounts` module's.

use std::net::SocketAddr;

use askama::Template;
use axum::extract::{ConnectInfo, Extension, Form, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use serde::Deserialize;

use super::session::{
    Answer, Chrome, Incoming, SESSION_COOKIE, html, redirect, render, same_secret, signed_in,
};
use crate::accounts::Role;
use crate::secrets;
use crate::server::Shared;

const FORM_COOKIE: &str = "gadeplan_form";

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    token: String,
    failed: bool,
    name: String,
}

fn login_page(incoming: &Incoming, status: StatusCode, failed: bool, name: &str) -> Response {
    let lang = incoming.lang();
    let token = secrets::new_token();
    let page = LoginPage {
        chrome: Chrome::signed_out(lang, lang.texts().sign_in),
        token: token.clone(),
        failed,
        name: name.to_string(),
    };
    let mut response = match render(&page) {
        Ok(body) => html(status, body),
        Err(r) => html(StatusCode::INTERNAL_SERVER_ERROR, r.message),
    };
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{FORM_COOKIE}={token}{}",
        incoming.cookie_attributes()
    )) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub(crate) async fn form(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    method: Method,
    uri: Uri,
) -> Response {
    let incoming = Incoming::new(&state, connected, headers, method, uri);
    login_page(&incoming, StatusCode::OK, false, "")
}

#[derive(Deserialize)]
pub(crate) struct SignIn {
    name: String,
    password: String,
    token: String,
}

pub(crate) async fn submit(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    method: Method,
    uri: Uri,
    Form(form): Form<SignIn>,
) -> Response {
    let incoming = Incoming::new(&state, connected, headers, method, uri);
    let expected = incoming.cookie(FORM_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, &form.token) {
        return login_page(&incoming, StatusCode::FORBIDDEN, false, &form.name);
    }
    let source = incoming.source.to_string();
    let attempt = {
        let state = state.clone();
        let (name, password) = (form.name.clone(), form.password);
        tokio::task::spawn_blocking(move || state.centre.sign_in(&name, &password, &source)).await
    };
    match attempt {
        Ok(Ok(session)) => {
            let mut response = redirect("/");
            if let Ok(v) = HeaderValue::from_str(&format!(
                "{SESSION_COOKIE}={}{}",
                session.token,
                incoming.cookie_attributes()
            )) {
                response.headers_mut().append(header::SET_COOKIE, v);
            }
            response
        }
        Ok(Err(r)) if r.status == 401 => {
            login_page(&incoming, StatusCode::UNAUTHORIZED, true, &form.name)
        }
        Ok(Err(r)) => {
            tracing::error!(event = "sign-in-failed", code = %r.code, message = %r.message);
            html(
                StatusCode::from_u16(r.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                r.message,
            )
        }
        Err(_) => html(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the sign-in failed inside the centre".into(),
        ),
    }
}

#[derive(Deserialize)]
pub(crate) struct SignOut {
    csrf: String,
}

pub(crate) async fn sign_out(
    State(state): State<Shared>,
    connected: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    method: Method,
    uri: Uri,
    Form(form): Form<SignOut>,
) -> Response {
    let incoming = Incoming::new(&state, connected, headers, method, uri);
    let attributes = incoming.cookie_attributes();
    let mut response = signed_in(
        state,
        incoming,
        &[Role::Leader, Role::Operator, Role::Auditor],
        move |ctx| {
            ctx.check_form(&form.csrf)?;
            ctx.centre.sign_out(&ctx.session, &ctx.source())?;
            Ok(Answer::Redirect("/login".into()))
        },
    )
    .await;
    if response.status() == StatusCode::SEE_OTHER
        && let Ok(v) = HeaderValue::from_str(&format!("{SESSION_COOKIE}=; Max-Age=0{attributes}"))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
