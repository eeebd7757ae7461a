//! What "converged" means after the stress suites: a team's phones and the centre hold the same
//! entries and tables. The workers' random moments are in the test kit (`gadeplan_testkit`).

use std::collections::BTreeSet;

use gadeplan_centre::Centre;
use gadeplan_core::Store;
pub use gadeplan_testkit::Dice;
pub use gadeplan_testkit::worker::act;

use crate::{dump, held_ids};

/// Asserts that every phone of `team` holds exactly the centre's entries for the team, with the
/// centre's digest, identical projected tables and a sound file. Returns the centre's entry ids.
pub fn assert_team_converged(centre: &Centre, team: &str, phones: &[&Store]) -> BTreeSet<String> {
    let at_centre = centre.team_entry_ids(team).expect("centre ids");
    let at_centre_set: BTreeSet<String> = at_centre.iter().cloned().collect();
    assert_eq!(
        at_centre.len(),
        at_centre_set.len(),
        "{team}: no entry twice at the centre"
    );
    let centre_digest = centre.team_digest(team).expect("centre digest");
    let first_dump = phones.first().map(|p| dump(p)).unwrap_or_default();
    for (i, store) in phones.iter().enumerate() {
        assert_eq!(
            held_ids(store).into_iter().collect::<BTreeSet<_>>(),
            at_centre_set,
            "{team}: phone {i} holds exactly its team's entries (or their markers)"
        );
        assert_eq!(store.digest().expect("digest"), centre_digest);
        let this = dump(store);
        let only_here: Vec<&String> = this.iter().filter(|l| !first_dump.contains(l)).collect();
        let only_there: Vec<&String> = first_dump.iter().filter(|l| !this.contains(l)).collect();
        assert!(
            only_here.is_empty() && only_there.is_empty(),
            "{team}: phone {i} projects other tables:\n  only here: {only_here:#?}\n  only on the first: {only_there:#?}"
        );
        assert_eq!(crate::integrity(store), "ok");
    }
    at_centre_set
}
