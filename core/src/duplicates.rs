//! Possible duplicates: the same citizen noted twice, by two workers or under two spellings of
//! a nickname ("Fløjte-Finn", "Fløjte Finn", "Fløjtefinn"). Found, never refused: two citizens
//! can share a nickname, so the workers decide and merge (`person.merged`).
//!
//! The matching, chosen to be explained in a sentence *(the project's own; the seeds give none)*:
//! aliases are **folded** (lower case; æ ø å as ae oe aa, other accents dropped; everything but
//! letters and digits removed, so hyphens and spaces do not count), and compared both as written
//! and with their words sorted ("Finn Fløjte" is "Fløjte-Finn"). Two aliases match when their
//! edit distance (Levenshtein, in letters) is within a budget that grows with length: none for
//! three letters or fewer ("Ole" is not "Ola"), one up to seven, two from eight. A match is a
//! possible duplicate unless both birth years are known and lie more than two years apart (an
//! age is usually a guess). The words of the descriptions they share (four letters or more) are
//! given beside each pair to help the workers judge, and rank the pairs; they never decide one.

use std::collections::BTreeSet;

use rusqlite::Connection;
use serde::Serialize;

use crate::error::Result;

/// Birth years further apart than this are two people.
pub const BIRTH_YEAR_SLACK: i32 = 2;

/// The edit distance two folded aliases of this length may lie apart.
fn budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// An alias folded for comparison: lower case, Danish letters spelt out, accents dropped, only
/// letters and digits kept.
pub fn fold(alias: &str) -> String {
    words(alias).concat()
}

/// The folded words of a text, in order.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        let spelt: &str = match c {
            'æ' | 'ä' => "ae",
            'ø' | 'ö' => "oe",
            'å' => "aa",
            'ü' => "ue",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'á' | 'à' | 'â' => "a",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ó' | 'ò' | 'ô' => "o",
            'ú' | 'ù' | 'û' => "u",
            'ñ' => "n",
            'ç' => "c",
            'ß' => "ss",
            c if c.is_alphanumeric() => {
                word.push(c);
                continue;
            }
            _ => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
                continue;
            }
        };
        word.push_str(spelt);
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn sorted_words(alias: &str) -> String {
    let mut w = words(alias);
    w.sort();
    w.concat()
}

/// The Levenshtein distance between two strings, in characters.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

/// An alias folded once, for comparing with many.
struct Folded {
    letters: Vec<char>,
    sorted: String,
}

impl Folded {
    fn of(alias: &str) -> Folded {
        Folded {
            letters: fold(alias).chars().collect(),
            sorted: sorted_words(alias),
        }
    }
}

/// How far apart two aliases are, folded (the nearer of as written and words sorted), if within
/// the budget of the longer.
pub fn alias_distance(a: &str, b: &str) -> Option<usize> {
    distance(&Folded::of(a), &Folded::of(b))
}

fn distance(a: &Folded, b: &Folded) -> Option<usize> {
    if a.letters.is_empty() || b.letters.is_empty() {
        return None;
    }
    let allowed = budget(a.letters.len().max(b.letters.len()));
    if a.letters.len().abs_diff(b.letters.len()) > allowed {
        return None;
    }
    let as_written: String = a.letters.iter().collect();
    let other: String = b.letters.iter().collect();
    let d = levenshtein(&as_written, &other).min(levenshtein(&a.sorted, &b.sorted));
    (d <= allowed).then_some(d)
}

fn years_compatible(a: Option<i32>, b: Option<i32>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= BIRTH_YEAR_SLACK,
        _ => true,
    }
}

fn description_words(text: Option<&str>) -> BTreeSet<String> {
    words(text.unwrap_or_default())
        .into_iter()
        .filter(|w| w.chars().count() >= 4)
        .collect()
}

/// A person as the matching sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct DuplicateCandidate {
    pub person: String,
    pub alias: String,
    pub birth_year: Option<i32>,
    pub description: Option<String>,
}

/// Two persons who may be one citizen, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, uniffi::Record)]
pub struct PossibleDuplicate {
    pub first: DuplicateCandidate,
    pub second: DuplicateCandidate,
    /// The edit distance of their folded aliases (0: the same once folded).
    pub alias_distance: u32,
    /// Both birth years known and within two years of each other.
    pub birth_years_agree: bool,
    /// The words their descriptions share (folded).
    pub shared_description_words: Vec<String>,
}

/// Whether two persons may be one citizen.
pub fn compare(a: &DuplicateCandidate, b: &DuplicateCandidate) -> Option<PossibleDuplicate> {
    compare_folded(a, &Folded::of(&a.alias), b, &Folded::of(&b.alias))
}

fn compare_folded(
    a: &DuplicateCandidate,
    fa: &Folded,
    b: &DuplicateCandidate,
    fb: &Folded,
) -> Option<PossibleDuplicate> {
    if !years_compatible(a.birth_year, b.birth_year) {
        return None;
    }
    let distance = distance(fa, fb)?;
    let shared = description_words(a.description.as_deref())
        .intersection(&description_words(b.description.as_deref()))
        .cloned()
        .collect();
    Some(PossibleDuplicate {
        first: a.clone(),
        second: b.clone(),
        alias_distance: distance as u32,
        birth_years_agree: a.birth_year.is_some() && b.birth_year.is_some(),
        shared_description_words: shared,
    })
}

/// The persons neither merged away nor voided.
fn persons(conn: &Connection) -> Result<Vec<DuplicateCandidate>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, alias, birth_year, description FROM persons
             WHERE merged_into IS NULL AND voided = 0 ORDER BY noted_at, id",
        )?
        .query_map([], |r| {
            Ok(DuplicateCandidate {
                person: r.get(0)?,
                alias: r.get(1)?,
                birth_year: r.get(2)?,
                description: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Strongest first: fewer edits, then agreeing birth years, then more shared words.
fn rank(pairs: &mut [PossibleDuplicate]) {
    pairs.sort_by(|x, y| {
        x.alias_distance
            .cmp(&y.alias_distance)
            .then(y.birth_years_agree.cmp(&x.birth_years_agree))
            .then(
                y.shared_description_words
                    .len()
                    .cmp(&x.shared_description_words.len()),
            )
            .then_with(|| x.first.alias.cmp(&y.first.alias))
    });
}

/// The persons who may be the same citizen as `person` (who is `first` in each pair).
pub fn of_person(conn: &Connection, person: &str) -> Result<Vec<PossibleDuplicate>> {
    let all = persons(conn)?;
    let Some(me) = all.iter().find(|p| p.person == person) else {
        return Ok(Vec::new());
    };
    let mut pairs: Vec<PossibleDuplicate> = all
        .iter()
        .filter(|p| p.person != person)
        .filter_map(|p| compare(me, p))
        .collect();
    rank(&mut pairs);
    Ok(pairs)
}

/// Every pair of persons in the store who may be one citizen, strongest first; each pair once,
/// the one noted first as `first`. Each alias is folded once, and only aliases whose folded
/// lengths lie within the largest budget (two) of each other are compared.
pub fn all_pairs(conn: &Connection) -> Result<Vec<PossibleDuplicate>> {
    let all = persons(conn)?;
    let mut folded: Vec<(usize, Folded)> = all
        .iter()
        .enumerate()
        .map(|(i, p)| (i, Folded::of(&p.alias)))
        .collect();
    folded.sort_by_key(|(_, f)| f.letters.len());
    let mut pairs = Vec::new();
    for (n, (i, fi)) in folded.iter().enumerate() {
        for (j, fj) in folded[n + 1..]
            .iter()
            .take_while(|(_, f)| f.letters.len() - fi.letters.len() <= budget(usize::MAX))
        {
            // The one noted first is `first` (the persons are read in the order noted).
            let ((a, fa), (b, fb)) = if i < j {
                ((i, fi), (j, fj))
            } else {
                ((j, fj), (i, fi))
            };
            if let Some(pair) = compare_folded(&all[*a], fa, &all[*b], fb) {
                pairs.push(pair);
            }
        }
    }
    rank(&mut pairs);
    Ok(pairs)
}

/// The pairs among `all` (persons in the order noted) of which at least one is `recent` (by
/// index in `all`), strongest first: what the team leader's page lists, the team's citizens with
/// the ones noted lately. Only the recent are compared with the rest, so five years of citizens
/// cost a pass over their folded names, not a comparison of all with all.
pub fn pairs_among(
    all: &[DuplicateCandidate],
    recent: impl Fn(usize) -> bool,
) -> Vec<PossibleDuplicate> {
    let folded: Vec<Folded> = all.iter().map(|p| Folded::of(&p.alias)).collect();
    let mut pairs = Vec::new();
    for i in (0..all.len()).filter(|i| recent(*i)) {
        for j in 0..all.len() {
            // Each pair once: two recent ones from the first of them.
            if j == i || (j < i && recent(j)) {
                continue;
            }
            if folded[i].letters.len().abs_diff(folded[j].letters.len()) > budget(usize::MAX) {
                continue;
            }
            // The one noted first is `first` (the persons are in the order noted).
            let (a, b) = if i < j { (i, j) } else { (j, i) };
            if let Some(pair) = compare_folded(&all[a], &folded[a], &all[b], &folded[b]) {
                pairs.push(pair);
            }
        }
    }
    rank(&mut pairs);
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_among_the_recent_are_the_pairs_with_one_of_them() {
        let all = vec![
            person("Fløjte-Finn", Some(1970)),
            person("Kaffe-Karl", None),
            person("Floejte Finn", Some(1971)),
            person("Kaffe Karl", None),
        ];
        let names = |pairs: Vec<PossibleDuplicate>| -> Vec<(String, String)> {
            let mut v: Vec<_> = pairs
                .into_iter()
                .map(|p| (p.first.alias, p.second.alias))
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            names(pairs_among(&all, |_| true)),
            [
                ("Fløjte-Finn".to_string(), "Floejte Finn".to_string()),
                ("Kaffe-Karl".to_string(), "Kaffe Karl".to_string())
            ]
        );
        // Only the last noted is recent: only its pair.
        assert_eq!(
            names(pairs_among(&all, |i| i == 3)),
            [("Kaffe-Karl".to_string(), "Kaffe Karl".to_string())]
        );
        assert!(pairs_among(&all, |_| false).is_empty());
    }

    #[test]
    fn folding_spells_out_danish_letters_and_drops_the_rest() {
        assert_eq!(fold("Fløjte-Finn"), "floejtefinn");
        assert_eq!(fold("  FLØJTE finn "), "floejtefinn");
        assert_eq!(fold("Åse"), fold("Aase"));
        assert_eq!(fold("René"), "rene");
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "abc"), 3);
    }

    fn person(alias: &str, year: Option<i32>) -> DuplicateCandidate {
        DuplicateCandidate {
            person: alias.into(),
            alias: alias.into(),
            birth_year: year,
            description: None,
        }
    }

    /// Real-looking Danish nicknames: the pairs that must be found, and those that must not.
    #[test]
    fn the_nickname_table() {
        let must_match = [
            ("Fløjte-Finn", "Fløjte Finn"),
            ("Fløjte-Finn", "Fløjtefinn"),
            ("Fløjte-Finn", "Floejte-Finn"),
            ("Fløjte-Finn", "Flöjte Fin"),
            ("Finn Fløjte", "Fløjte-Finn"),
            ("Store Bjørn", "Storebjørn"),
            ("Lille-Per", "Lille Pér"),
            ("Jørgen", "Jørgen"),
            ("Jørgen", "Jørgn"),
            ("Søren Skæg", "Søren Skæk"),
            ("Cykel-Kurt", "Cykelkurt"),
            ("Aase", "Åse"),
            ("Mikkel", "Mikel"),
            ("Tøsen", "Tøsen!"),
            ("Ole", "OLE"),
            ("Hash-Henning", "Hashhenning"),
        ];
        for (a, b) in must_match {
            assert!(
                compare(&person(a, None), &person(b, None)).is_some(),
                "{a} / {b} must be found"
            );
        }
        let must_not = [
            ("Ole", "Ola"),
            ("Per", "Pia"),
            ("Bo", "Bob"),
            ("Fløjte-Finn", "Finn"),
            ("Fløjte-Finn", "Fløjte-Frank"),
            ("Store Bjørn", "Lille Bjørn"),
            ("Jens", "Hans"),
            ("Mette", "Mads"),
            ("Lange Lars", "Lange Las Vegas"),
            ("Kim", "Tim"),
            ("Rødtop", "Rødspætte"),
            ("Cykel-Kurt", "Cykel-Karsten"),
        ];
        for (a, b) in must_not {
            assert!(
                compare(&person(a, None), &person(b, None)).is_none(),
                "{a} / {b} must not be found"
            );
        }
    }

    #[test]
    fn birth_years_far_apart_are_two_people() {
        let a = person("Fløjte-Finn", Some(1970));
        assert!(compare(&a, &person("Fløjte Finn", Some(1972))).is_some());
        assert!(compare(&a, &person("Fløjte Finn", Some(1990))).is_none());
        let found = compare(&a, &person("Fløjte Finn", None)).unwrap();
        assert!(
            !found.birth_years_agree,
            "one unknown year agrees with nothing"
        );
    }

    #[test]
    fn shared_description_words_are_given() {
        let mut a = person("Fløjte-Finn", None);
        a.description = Some("Grøn jakke, spiller fløjte ved Nørreport".into());
        let mut b = person("Fløjte Finn", None);
        b.description = Some("spiller på fløjte, grøn jakke".into());
        let pair = compare(&a, &b).unwrap();
        assert_eq!(
            pair.shared_description_words,
            ["floejte", "groen", "jakke", "spiller"]
        );
    }
}
