//! A centre store made by an earlier version keeps serving after the upgrade: the phones it had
//! enrolled still sync and the leader's token still opens the page, however long ago they were
//! issued (the idle clock and the leader token's expiry start at the upgrade).

use gadeplan_centre::{Centre, secrets};
use gadeplan_core::{db, journal};
use tempfile::TempDir;

fn days_ago(days: i64) -> String {
    journal::format_timestamp(chrono::Utc::now() - chrono::Duration::days(days))
}

#[test]
fn a_store_from_schema_1_upgrades_without_locking_out_old_phones_or_leader_tokens() {
    let dir = TempDir::new().unwrap();
    let data = dir.path().join("centre");
    drop(Centre::open_at_schema_version(&data, 1).unwrap());
    let device = journal::new_id();
    {
        let key = std::fs::read_to_string(data.join("centre.key")).unwrap();
        let conn =
            db::open_raw(&data.join("centre.db"), &db::parse_hex_key(&key).unwrap()).unwrap();
        conn.execute(
            "INSERT INTO centre_teams (name, created_at) VALUES ('Nørrebro', ?1)",
            [days_ago(400)],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO centre_devices (id, team, worker, name, token_hash, enrolled_at)
             VALUES (?1, 'Nørrebro', 'Mette', 'phone', ?2, ?3)",
            rusqlite::params![device, secrets::hash("device-token"), days_ago(200)],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO centre_leader_tokens (token_hash, team, created_at)
             VALUES (?1, 'Nørrebro', ?2)",
            rusqlite::params![secrets::hash("leader-token"), days_ago(200)],
        )
        .unwrap();
    }
    let centre = Centre::open(&data).unwrap();
    let found = centre
        .device("device-token")
        .unwrap_or_else(|e| panic!("a phone enrolled 200 days ago is locked out: {e:?}"));
    assert_eq!(found.id, device);
    assert!(!found.retiring);
    assert_eq!(
        centre
            .leader_team("leader-token")
            .unwrap_or_else(|e| panic!("a leader token made 200 days ago expired: {e:?}")),
        "Nørrebro"
    );
    // Expiry still comes, 90 days on from the upgrade.
    let tokens = centre.leader_tokens().unwrap();
    assert_eq!(tokens.len(), 1);
    assert!(tokens[0].expires_at.as_str() > days_ago(-89).as_str());
    assert!(tokens[0].expires_at.as_str() < days_ago(-91).as_str());
}
