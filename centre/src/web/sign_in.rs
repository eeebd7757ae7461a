//! Signing in and out. The sign-in form has no session yet, so its token is a cookie of its own
//! that the form repeats (a "double submit"): a page on another site can neither read the cookie
//! nor, with `SameSite=Strict`, send it. A failed sign-in is answered the same way whatever
//! failed (unknown name, wrong password, locked account), and the account's lock-out is the
//! `accounts` module's.

use askama::Template;
use axum::extract::{Form, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;

use super::session::{
    Answer, Chrome, Incoming, html, redirect, refused, render, same_secret, signed_in,
};
use crate::accounts::Role;
use crate::secrets;
use crate::server::Shared;
use crate::store::Refusal;

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
        "{}={token}{}",
        incoming.form_cookie(),
        incoming.cookie_attributes()
    )) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

pub(crate) async fn form(incoming: Incoming) -> Response {
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
    incoming: Incoming,
    Form(form): Form<SignIn>,
) -> Response {
    let expected = incoming.cookie(incoming.form_cookie()).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, &form.token) || !incoming.same_origin() {
        return login_page(&incoming, StatusCode::FORBIDDEN, false, &form.name);
    }
    if state
        .sign_in_per_source
        .check_key(&incoming.source)
        .is_err()
    {
        tracing::warn!(target: "security", event = "sign-in-rate-limited", source = %incoming.source);
        return refused(
            &incoming,
            None,
            &Refusal::new(
                429,
                "rate-limited",
                incoming.lang().texts().sign_in_rate_limited,
            ),
        );
    }
    let Ok(permit) = state.password_checks.clone().acquire_owned().await else {
        return refused(
            &incoming,
            None,
            &Refusal::new(503, "busy", "the centre is shutting down"),
        );
    };
    let source = incoming.source.to_string();
    // The session this browser held ends: a cookie someone planted in it is worth nothing.
    let held = incoming.cookie(incoming.session_cookie());
    let attempt = {
        let state = state.clone();
        let (name, password) = (form.name.clone(), form.password);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            if let Some(held) = held {
                state.centre.end_session_of(&held)?;
            }
            state.centre.sign_in(&name, &password, &source)
        })
        .await
    };
    match attempt {
        Ok(Ok(session)) => {
            let mut response = redirect("/");
            if let Ok(v) = HeaderValue::from_str(&format!(
                "{}={}{}",
                incoming.session_cookie(),
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
            refused(&incoming, None, &r)
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
    incoming: Incoming,
    Form(form): Form<SignOut>,
) -> Response {
    let attributes = incoming.cookie_attributes();
    let cookie = incoming.session_cookie();
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
        && let Ok(v) = HeaderValue::from_str(&format!("{cookie}=; Max-Age=0{attributes}"))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
