//! The centre's page over HTTP (issue 16): every page refused without a session, a form without
//! the session's token refused, a wrong password and the lock-out, roles kept apart, another
//! team's citizen not found, free text only after a reason (and both in the audit log), the
//! indicators' CSV against what the phones recorded, a phone revoked on the page refused at its
//! next sync, and signing out ending the session. The same in a real browser is
//! `tests/browser/page.mjs`.

use std::collections::BTreeMap;

use chrono::Utc;
use gadeplan_centre::accounts::Role;
use gadeplan_core::{
    ContactInput, ContactKind, CourseInput, Error, FoundVia, NewEntry, Outcome, PlaceKind, Subject,
};
use gadeplan_tests::*;

const PASSWORD: &str = "korrekt-hest-batteri";

/// A browser without a browser: keeps cookies, follows no redirects.
struct Browser {
    base: String,
    agent: ureq::Agent,
    cookies: BTreeMap<String, String>,
}

struct Answer {
    status: u16,
    location: Option<String>,
    body: String,
}

impl Browser {
    fn new(base: &str) -> Browser {
        Browser {
            base: base.to_string(),
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .build()
                .into(),
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, response: &ureq::http::Response<ureq::Body>) {
        for v in response.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap();
            let pair = v.split(';').next().unwrap();
            let (k, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.into(), value.into());
            }
        }
    }

    fn answer(&mut self, mut response: ureq::http::Response<ureq::Body>) -> Answer {
        self.keep(&response);
        Answer {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string()),
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    fn get(&mut self, path: &str) -> Answer {
        let response = self
            .agent
            .get(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .call()
            .unwrap();
        self.answer(response)
    }

    fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        let response = self
            .agent
            .post(&format!("{}{path}", self.base))
            .header("Cookie", &self.cookie_header())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(body.join("&"))
            .unwrap();
        self.answer(response)
    }

    fn sign_in(&mut self, name: &str, password: &str) -> Answer {
        let form = self.get("/login");
        let token = field(&form.body, "token");
        self.post(
            "/login",
            &[("name", name), ("password", password), ("token", &token)],
        )
    }

    /// The session's form token, from a page's sign-out form.
    fn csrf(&mut self, page: &str) -> String {
        field(&self.get(page).body, "csrf")
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A hidden field's value in a page.
fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {html}"))
        + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

fn contact(store: &gadeplan_core::Store, person: &str, note: &str, with: Option<&str>) {
    store
        .record_contact(ContactInput {
            subject: Some(Subject::Person { id: person.into() }),
            place: "Enghaveparken".into(),
            place_kind: PlaceKind::Park,
            kind: ContactKind::Conversation,
            meeting: None,
            announced: None,
            safety_reason: None,
            outcome: Outcome::ContactMade,
            colleague: with.map(Into::into),
            minutes: Some(20),
            note: Some(note.into()),
            risk_check: None,
            occurred_at: None,
            place_id: None,
        })
        .unwrap();
}

#[test]
fn the_page_is_for_the_signed_in_only_by_role_and_team() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    h.phone(TEAM_A, "Jonas");
    let aisha = h.phone(TEAM_B, "Aisha");
    let kim = person(&mette, "Kim");
    contact(
        &mette,
        &kim,
        "Sover under broen, vil gerne tale om metadon",
        Some("Jonas"),
    );
    contact(&mette, &kim, "Kort hej", None);
    mette
        .record(NewEntry::CourseOpened(CourseInput {
            person: kim.clone(),
            responsible: vec!["Mette".into(), "Jonas".into()],
            found_via: FoundVia::OwnOutreach,
            attachment_treatment: None,
            attachment_substitution: None,
            attachment_services: None,
            occurred_at: None,
        }))
        .unwrap();
    let other = person(&aisha, "Nørrebro-borger");
    mette.sync(h.transport()).unwrap();
    aisha.sync(h.transport()).unwrap();
    h.operator
        .add_user("birgit", Role::Leader, Some(TEAM_A), PASSWORD)
        .unwrap();
    h.operator
        .add_user("ops", Role::Operator, None, PASSWORD)
        .unwrap();
    h.operator
        .add_user("revisor", Role::Auditor, None, PASSWORD)
        .unwrap();
    // Bad accounts are refused, nothing made.
    assert!(
        h.operator
            .add_user("kort", Role::Auditor, None, "kort")
            .is_err()
    );
    assert!(
        h.operator
            .add_user("x", Role::Leader, None, PASSWORD)
            .is_err()
    );
    assert!(
        h.operator
            .add_user("y", Role::Operator, Some(TEAM_A), PASSWORD)
            .is_err()
    );
    assert!(
        h.operator
            .add_user("birgit", Role::Auditor, None, PASSWORD)
            .is_err()
    );
    assert_eq!(h.operator.users().unwrap().len(), 3);

    // Without a session: every page sends to sign-in, every form and fragment is refused.
    let mut anyone = Browser::new(&h.url());
    for page in [
        "/",
        "/team",
        "/indicators",
        "/indicators.csv",
        &format!("/citizen/{kim}"),
        "/devices",
        "/audit",
        "/audit.csv",
    ] {
        let a = anyone.get(page);
        assert_eq!(
            (a.status, a.location.as_deref()),
            (303, Some("/login")),
            "{page}"
        );
        assert!(!a.body.contains("Kim"));
    }
    for (form, fields) in [
        ("/team/checkins/ack", vec![("csrf", "x"), ("checkin", "x")]),
        ("/logout", vec![("csrf", "x")]),
        (
            "/devices/enrol",
            vec![
                ("csrf", "x"),
                ("team", TEAM_A),
                ("worker", "Eve"),
                ("hours", "1"),
            ],
        ),
    ] {
        assert_eq!(anyone.post(form, &fields).status, 401, "{form}");
    }
    // A sign-in form without its own cookie (another site's) is refused.
    assert_eq!(
        anyone
            .post(
                "/login",
                &[("name", "birgit"), ("password", PASSWORD), ("token", "x")]
            )
            .status,
        403
    );

    // A wrong password, five times, locks the account: the right one is refused meanwhile,
    // with the same words as a wrong one.
    let mut leader = Browser::new(&h.url());
    for _ in 0..5 {
        let a = leader.sign_in("birgit", "forkert-forkert");
        assert_eq!(a.status, 401);
        assert!(a.body.contains("sign-in-refused"));
    }
    let locked = leader.sign_in("birgit", PASSWORD);
    assert_eq!(locked.status, 401);
    assert_eq!(leader.sign_in("nobody", PASSWORD).status, 401);
    h.operator.set_password("birgit", PASSWORD).unwrap();
    let a = leader.sign_in("birgit", PASSWORD);
    assert_eq!((a.status, a.location.as_deref()), (303, Some("/")));
    assert_eq!(leader.get("/").location.as_deref(), Some("/team"));

    // The overview: the team's workers, the pair's course counted for both.
    let team = leader.get("/team");
    assert_eq!(team.status, 200);
    for worker in ["Mette", "Jonas"] {
        assert!(
            team.body.contains(&format!(
                "<th scope=\"row\">{worker}</th><td class=\"num\">1</td>"
            )),
            "{worker}'s caseload"
        );
    }
    assert!(!team.body.contains("Aisha") && !team.body.contains("Nørrebro-borger"));
    // Roles: a leader sees no phones and no audit log.
    assert_eq!(leader.get("/devices").status, 403);
    assert_eq!(leader.get("/audit").status, 403);
    // Another team's citizen is not found; a made-up one neither.
    assert_eq!(leader.get(&format!("/citizen/{other}")).status, 404);
    assert_eq!(leader.get("/citizen/nobody").status, 404);

    // A form sent from another site (its Origin) is refused even with the right token, and so
    // is one whose Origin the browser hid ("null").
    let csrf = leader.csrf("/team");
    for origin in ["https://evil.example", "null"] {
        let refused = leader
            .agent
            .post(&format!("{}/logout", h.url()))
            .header("Cookie", &leader.cookie_header())
            .header("Origin", origin)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(format!("csrf={csrf}"))
            .unwrap();
        assert_eq!(refused.status().as_u16(), 403, "{origin}");
    }
    assert_eq!(leader.get("/team").status, 200, "still signed in");

    // The citizen: the course and the timeline, but no note until a reason is given.
    let citizen = leader.get(&format!("/citizen/{kim}"));
    assert_eq!(citizen.status, 200);
    assert!(citizen.body.contains("glass-form"));
    assert!(!citizen.body.contains("metadon"));
    let csrf = field(&citizen.body, "csrf");
    // A reason not on the list, or a form without the session's token, opens nothing.
    assert_eq!(
        leader
            .post(
                &format!("/citizen/{kim}/glass"),
                &[("csrf", &csrf), ("reason", "curious")]
            )
            .status,
        400
    );
    assert_eq!(
        leader
            .post(
                &format!("/citizen/{kim}/glass"),
                &[("csrf", "forged"), ("reason", "handover")]
            )
            .status,
        403
    );
    assert!(
        !leader
            .get(&format!("/citizen/{kim}"))
            .body
            .contains("metadon")
    );
    let opened = leader.post(
        &format!("/citizen/{kim}/glass"),
        &[("csrf", &csrf), ("reason", "handover")],
    );
    assert_eq!(opened.status, 303);
    let citizen = leader.get(&format!("/citizen/{kim}"));
    assert!(citizen.body.contains("metadon"));
    assert!(citizen.body.contains("glass-open"));
    // Another team's citizen cannot be opened either.
    assert_eq!(
        leader
            .post(
                &format!("/citizen/{other}/glass"),
                &[("csrf", &csrf), ("reason", "handover")]
            )
            .status,
        404
    );

    // The indicators as CSV, against what the phones recorded: two contacts this quarter, one
    // without a colleague, one course opened, by own outreach.
    let csv = leader.get("/indicators.csv");
    assert_eq!(csv.status, 200);
    let figure = |indicator: &str, code: &str| -> String {
        csv.body
            .lines()
            .find(|l| l.starts_with(&format!("{indicator},{code},")))
            .map(|l| l.rsplit(',').next().unwrap().to_string())
            .unwrap_or_else(|| panic!("no {indicator},{code} in\n{}", csv.body))
    };
    assert_eq!(figure("citizens-found", ""), "1");
    assert_eq!(figure("received-effort", ""), "1");
    assert_eq!(figure("contacts", ""), "2");
    assert_eq!(figure("solo-contacts", ""), "1");
    assert_eq!(figure("contacts-by-worker", "Mette"), "2");
    assert_eq!(figure("recruitment", "own-outreach"), "1");
    assert!(!csv.body.contains("metadon") && !csv.body.contains("Kim"));
    let today = Utc::now().date_naive();
    let bad = leader.get(&format!("/indicators?from={today}&to=2020-01-01"));
    assert_eq!(bad.status, 400);
    // The last day chrono can hold, and the one before: refused, and the centre still serves.
    for far in [
        "/indicators?from=%2B262142-12-30&to=%2B262142-12-31",
        "/indicators.csv?from=%2B262142-12-30&to=%2B262142-12-31",
        "/indicators?from=0001-01-01&to=0001-03-31",
    ] {
        assert_eq!(leader.get(far).status, 400, "{far}");
    }
    assert_eq!(leader.get("/team").status, 200, "the centre still serves");

    // The operator: phones, not citizens; revoking on the page refuses the phone at its next
    // sync; a form without the token changes nothing.
    let mut ops = Browser::new(&h.url());
    assert_eq!(ops.sign_in("ops", PASSWORD).status, 303);
    assert_eq!(ops.get("/team").status, 403);
    assert_eq!(ops.get(&format!("/citizen/{kim}")).status, 403);
    let device = aisha.identity().unwrap().device_id;
    let devices = ops.get("/devices");
    assert!(devices.body.contains(&device));
    let ops_csrf = field(&devices.body, "csrf");
    assert_eq!(
        ops.post(
            &format!("/devices/{device}/revoke"),
            &[("csrf", "forged"), ("how", "lost")]
        )
        .status,
        403
    );
    aisha.sync(h.transport()).unwrap();
    assert_eq!(ops.get(&format!("/devices/{device}/revoke")).status, 200);
    let revoked = ops.post(
        &format!("/devices/{device}/revoke"),
        &[("csrf", &ops_csrf), ("how", "lost")],
    );
    assert_eq!(revoked.status, 303);
    assert_eq!(aisha.sync(h.transport()).unwrap_err(), Error::Revoked);
    // A new enrolment: the code and the link the phone scans, drawn as a QR code.
    let enrol = ops.post(
        "/devices/enrol",
        &[
            ("csrf", &ops_csrf),
            ("team", TEAM_A),
            ("worker", "Eve"),
            ("hours", "2"),
        ],
    );
    assert_eq!(enrol.status, 200);
    assert!(enrol.body.contains("gadeplan://enrol?centre="));
    assert!(enrol.body.contains("<svg"));

    // The check-ins' refreshes do not keep a session alive; the person's own requests do. Left
    // 20 minutes, a refresh answers and leaves it 20 minutes idle; at 31, it is over.
    let ago = |minutes: i64| {
        chrono::DateTime::<Utc>::from(
            std::time::SystemTime::now() - std::time::Duration::from_secs(60 * minutes as u64),
        )
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string()
    };
    let idle_for = |minutes: i64| {
        h.centre_execute(&format!(
            "UPDATE centre_sessions SET last_seen_at = '{}' WHERE ended_at IS NULL",
            ago(minutes)
        ));
    };
    let refresh = |browser: &Browser| -> u16 {
        browser
            .agent
            .get(&format!("{}/team/checkins", h.url()))
            .header("Cookie", &browser.cookie_header())
            .header("X-Requested-With", "fetch")
            .call()
            .unwrap()
            .status()
            .as_u16()
    };
    idle_for(20);
    assert_eq!(refresh(&leader), 200);
    let last_seen =
        h.centre_column("SELECT max(last_seen_at) FROM centre_sessions WHERE ended_at IS NULL");
    assert!(
        last_seen[0] <= ago(19),
        "a refresh touched the session: {last_seen:?}"
    );
    idle_for(31);
    assert_eq!(refresh(&leader), 401, "idle for 31 minutes");
    assert_eq!(leader.get("/team").location.as_deref(), Some("/login"));
    assert_eq!(leader.sign_in("birgit", PASSWORD).status, 303);

    // Signing out ends the session: the same cookie is refused afterwards.
    let session = leader.cookies.get("gadeplan_session").cloned().unwrap();
    let csrf = leader.csrf("/team");
    assert_eq!(leader.post("/logout", &[("csrf", &csrf)]).status, 303);
    leader
        .cookies
        .insert("gadeplan_session".into(), session.clone());
    assert_eq!(leader.get("/team").location.as_deref(), Some("/login"));

    // The auditor reads it all, and the CSV holds no recorded free text.
    let mut auditor = Browser::new(&h.url());
    assert_eq!(auditor.sign_in("revisor", PASSWORD).status, 303);
    assert_eq!(auditor.get("/team").status, 403);
    let page = auditor.get("/audit");
    assert!(page.body.contains("chain"));
    let log = auditor.get("/audit.csv").body;
    for action in [
        "sign-in-failed",
        "sign-in",
        "overview-read",
        "citizen-read",
        "glass-broken",
        "citizen-free-text-read",
        "indicators-exported",
        "device-revoked",
        "enrolment-made",
        "sign-out",
    ] {
        assert!(
            log.lines().any(|l| l.split(',').nth(3) == Some(action)),
            "{action} not in the audit log:\n{log}"
        );
    }
    assert!(log.contains(&format!(",{kim},handover,")));
    assert!(!log.contains("metadon") && !log.contains("Kort hej"));
    assert!(h.operator.verify_audit().unwrap().intact);
}
