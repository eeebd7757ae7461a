//! `Store::rekey`: the store re-encrypted with a new key, all or nothing. A rekey with a wrong
//! current key, or while something else has the store open, changes nothing; one that succeeds
//! leaves a store the old key no longer opens and the new one opens with everything as it was,
//! the screens' reader included.

mod common;

use common::*;
use gadeplan_core::{Error, Store, Subject};
use tempfile::TempDir;

const NEW_KEY: [u8; 32] = [9u8; 32];

/// Every row of the journal and `meta`, and every projection: what a rekey must not change.
fn everything(store: &Store) -> Vec<String> {
    let mut rows = store
        .with_connection(|c| gadeplan_core::db::dump_tables(c, &["entries", "meta"]))
        .unwrap();
    rows.extend(dump_projections(store));
    rows
}

/// A store with a person and a contact with them.
fn filled(dir: &TempDir) -> (std::sync::Arc<Store>, String) {
    let store = new_store(dir, "s.db");
    let kurt = person(&store, "Kurt");
    store
        .record_contact(contact(Subject::Person { id: kurt }))
        .unwrap();
    (store, path(dir, "s.db"))
}

fn refused_with(path: &str, key: &[u8]) -> Error {
    Store::open(path.into(), key.to_vec())
        .err()
        .expect("refused")
}

#[test]
fn a_rekey_with_a_wrong_current_key_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let (store, p) = filled(&dir);
    let before = everything(&store);
    let err = store.rekey(vec![3u8; 32], NEW_KEY.to_vec()).unwrap_err();
    assert!(matches!(err, Error::WrongKey { .. }), "{err:?}");
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    // The store goes on as before, and opens with the old key only.
    assert_eq!(everything(&store), before);
    assert_eq!(store.list_persons(None, 0).unwrap().len(), 1);
    drop(store);
    assert!(matches!(refused_with(&p, &NEW_KEY), Error::WrongKey { .. }));
    let again = Store::open(p, KEY.to_vec()).unwrap();
    assert_eq!(everything(&again), before);
}

#[test]
fn a_new_key_must_be_a_new_key_of_32_bytes() {
    let dir = TempDir::new().unwrap();
    let (store, p) = filled(&dir);
    for bad in [vec![9u8; 16], vec![9u8; 33], KEY.to_vec()] {
        let err = store.rekey(KEY.to_vec(), bad).unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, .. } if field == "new_key"),
            "{err:?}"
        );
    }
    drop(store);
    Store::open(p, KEY.to_vec()).unwrap();
}

#[test]
fn after_a_rekey_only_the_new_key_opens_the_store_with_everything_in_it() {
    let dir = TempDir::new().unwrap();
    let (store, p) = filled(&dir);
    let before = everything(&store);
    store.rekey(KEY.to_vec(), NEW_KEY.to_vec()).unwrap();
    // The store in hand goes on, reading and recording, under the new key.
    assert_eq!(everything(&store), before);
    // Nothing is left in the log under the old key: it holds no frame at all yet.
    let wal = std::fs::metadata(format!("{p}-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "the write-ahead log after the rekey");
    drop(store);
    assert!(matches!(refused_with(&p, &KEY), Error::WrongKey { .. }));
    let reopened = Store::open(p.clone(), NEW_KEY.to_vec()).unwrap();
    assert_eq!(everything(&reopened), before);
    reopened.rebuild_projections().unwrap();
    assert_eq!(everything(&reopened), before, "projections equal a rebuild");
    // And back again: a key can be changed any number of times.
    reopened.rekey(NEW_KEY.to_vec(), KEY.to_vec()).unwrap();
    drop(reopened);
    assert!(matches!(refused_with(&p, &NEW_KEY), Error::WrongKey { .. }));
    assert_eq!(everything(&Store::open(p, KEY.to_vec()).unwrap()), before);
}

#[test]
fn the_screens_reader_reads_on_under_the_new_key() {
    let dir = TempDir::new().unwrap();
    let (store, p) = filled(&dir);
    // The reader connection has read, so it holds the file open under the old key.
    let persons = store.list_persons(None, 0).unwrap();
    assert_eq!(persons.len(), 1);
    store.rekey(KEY.to_vec(), NEW_KEY.to_vec()).unwrap();
    assert_eq!(store.list_persons(None, 0).unwrap(), persons);
    let jonas = person(&store, "Jonas");
    let listed = store.list_persons(None, 0).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().any(|p| p.id == jonas));
    assert_eq!(store.person(jonas.clone()).unwrap().person.id, jonas);
    drop(store);
    let reopened = Store::open(p, NEW_KEY.to_vec()).unwrap();
    assert_eq!(reopened.list_persons(None, 0).unwrap(), listed);
    assert_eq!(integrity(&reopened), "ok");
}

#[test]
fn a_rekey_while_another_connection_has_the_store_open_changes_nothing() {
    let dir = TempDir::new().unwrap();
    let (store, p) = filled(&dir);
    let before = everything(&store);
    let other = Store::open(p.clone(), KEY.to_vec()).unwrap();
    let err = store.rekey(KEY.to_vec(), NEW_KEY.to_vec()).unwrap_err();
    assert!(matches!(err, Error::NotAllowed { .. }), "{err:?}");
    // Both go on under the old key.
    assert_eq!(everything(&store), before);
    assert_eq!(everything(&other), before);
    person(&other, "Lis");
    assert_eq!(store.list_persons(None, 0).unwrap().len(), 2);
    drop((store, other));
    assert!(matches!(refused_with(&p, &NEW_KEY), Error::WrongKey { .. }));
    let again = Store::open(p, KEY.to_vec()).unwrap();
    assert_eq!(integrity(&again), "ok");
}

fn integrity(store: &Store) -> String {
    store
        .with_connection(|c| Ok(c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
        .unwrap()
}
