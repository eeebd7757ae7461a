//! The audit log (issue 16, begun): a leader's reads over HTTP, taking charge of a check-in and
//! the operator's commands are recorded in one order with who, what, which team and from where;
//! the chain of hashes holds, and a record changed or taken out afterwards is found.

use gadeplan_core::{CheckinInput, CheckinReason, NewEntry};
use gadeplan_tests::*;

fn get(url: &str, token: &str) -> u16 {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    agent
        .get(url)
        .header("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn reads_and_actions_are_chained_and_tampering_is_found() {
    let h = Harness::new();
    let mette = h.phone(TEAM_A, "Mette");
    h.phone(TEAM_A, "Jonas");
    mette.sync(h.transport()).unwrap();
    let token = h.operator.leader_token(TEAM_A, None).unwrap();
    assert_eq!(get(&format!("{}/v1/report", h.url()), &token.token), 200);
    assert_eq!(get(&format!("{}/v1/checkins", h.url()), &token.token), 200);
    // A refused read is not a read.
    assert_eq!(get(&format!("{}/v1/report", h.url()), "nope"), 401);
    let checkin = mette
        .record(NewEntry::CheckinStarted(CheckinInput {
            place: "Istedgade 12".into(),
            watcher: "Jonas".into(),
            minutes: 30,
            reason: CheckinReason::SoloHomeVisit,
            person: None,
            high_risk: false,
            occurred_at: None,
        }))
        .unwrap()
        .id;
    mette.sync(h.transport()).unwrap();
    let due = chrono::DateTime::parse_from_rfc3339(
        &h.operator.checkins(Some(TEAM_A), 1, true).unwrap()[0].due_at,
    )
    .unwrap()
    .timestamp_millis();
    h.operator.escalate_due(due + 5 * 60_000).unwrap();
    h.operator
        .acknowledge_checkin(Some(TEAM_A), &checkin, "Birgit")
        .unwrap();

    let log = h.operator.audit(0, 100).unwrap();
    let seen: Vec<(&str, &str, Option<&str>)> = log
        .iter()
        .map(|r| (r.actor.as_str(), r.action.as_str(), r.team.as_deref()))
        .collect();
    let reader = format!("leader-token:{}", token.id);
    assert_eq!(
        seen,
        [
            (reader.as_str(), "report-read", Some(TEAM_A)),
            (reader.as_str(), "checkins-read", Some(TEAM_A)),
            ("Birgit", "checkin-acknowledged", Some(TEAM_A)),
        ]
    );
    assert_eq!(log[0].source.as_deref(), Some("127.0.0.1"));
    assert_eq!(log[2].subject.as_deref(), Some(checkin.as_str()));
    assert_eq!(log[1].prev_hash, log[0].hash);
    let check = h.operator.verify_audit().unwrap();
    assert!(check.intact && check.records == 3, "{check:?}");

    // Someone with the database changes who read the report: the chain breaks there.
    h.centre_execute("UPDATE centre_audit SET actor = 'someone else' WHERE seq = 1");
    let check = h.operator.verify_audit().unwrap();
    assert_eq!((check.intact, check.first_broken), (false, Some(1)));
}

#[test]
fn a_record_taken_out_is_found_and_the_operators_commands_are_recorded() {
    if on_postgres() {
        // The operator's commands are run on the embedded store's directory here.
        return;
    }
    let h = Harness::new();
    let data = h.data();
    let run = |args: &[&str]| {
        let out = gadeplan_tests::binaries::operator(&data, args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["worker", "add", "--team", TEAM_A, "--name", "Kurt"]);
    run(&["report", "--team", TEAM_A]);
    run(&["export-questionnaires", "--team", TEAM_A]);
    let listed: serde_json::Value = serde_json::from_str(&run(&["audit"])).unwrap();
    let actions: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["worker-added", "report-read", "questionnaires-exported"]
    );
    assert!(
        listed[0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("operator:")
    );
    let verified: serde_json::Value = serde_json::from_str(&run(&["audit", "--verify"])).unwrap();
    assert_eq!(verified["intact"], true);
    // The second record taken out: the third no longer links to the one before it.
    h.centre_execute("DELETE FROM centre_audit WHERE seq = 2");
    let verified: serde_json::Value = serde_json::from_str(&run(&["audit", "--verify"])).unwrap();
    assert_eq!(
        (verified["intact"].clone(), verified["first_broken"].clone()),
        (false.into(), 2.into())
    );
}
