//! What the team's phones keep, the centre's side (issue 17): the rule (`Policy::keep`, the
//! core's `kinds::keep`) gives each team's released citizens, whose hash every digest answer
//! carries (from `wire::KEEP_PROTOCOL`) and whose list `POST /v1/released` gives; `POST
//! /v1/history` gives a citizen's history back to a phone (one who came back, or one the worker
//! asked for), recorded in the audit log; `POST /v1/search` finds, by a part of the nickname, the
//! team's citizens held at the centre only. A team's list is computed at most once every
//! `LIST_SECONDS` per process: the rule counts in days, and a phone a few minutes behind it
//! loses nothing.

use std::time::{Duration, Instant};

use gadeplan_core::duplicates::fold;
use gadeplan_core::kinds::keep;
use gadeplan_core::sync::purge::released_hash;
use gadeplan_core::sync::wire;

use crate::audit::{self, AuditEvent};
use crate::store::{Centre, Device, Refusal, Result, now_text};

/// How long a team's computed list is reused.
pub const LIST_SECONDS: u64 = 300;
/// The most citizens a search answers with.
pub const SEARCH_MAX: usize = 20;

/// A team's released citizens as last computed: when, the hash, the list.
pub(crate) type Released = (Instant, String, Vec<String>);

impl Centre {
    /// A team's released citizens and their hash, computed anew when older than `LIST_SECONDS`.
    pub fn released(&self, team: &str) -> Result<(String, Vec<String>)> {
        if let Ok(kept) = self.released.lock()
            && let Some((at, hash, list)) = kept.get(team)
            && at.elapsed() < Duration::from_secs(LIST_SECONDS)
        {
            return Ok((hash.clone(), list.clone()));
        }
        let now = crate::store::now();
        let rule = self.policy.keep;
        let list = self.with_projection(team, |conn, team, _| {
            Ok(keep::released(conn, now, rule, &|p| {
                crate::report::in_team(conn, team, p)
            })?)
        })?;
        let hash = released_hash(&list);
        if let Ok(mut kept) = self.released.lock() {
            kept.insert(
                team.to_string(),
                (Instant::now(), hash.clone(), list.clone()),
            );
        }
        Ok((hash, list))
    }

    /// Forgets a team's computed list: new entries may keep a released citizen again.
    pub(crate) fn forget_released(&self, team: &str) {
        if let Ok(mut kept) = self.released.lock() {
            kept.remove(team);
        }
    }

    /// `POST /v1/released`.
    pub fn released_for(
        &self,
        device: &Device,
        request: wire::ReleasedRequest,
    ) -> Result<wire::ReleasedResponse> {
        check_keep_protocol(request.protocol)?;
        let (hash, released) = self.released(&device.team)?;
        Ok(wire::ReleasedResponse {
            protocol: request.protocol,
            released,
            hash,
            centre_time: Some(now_text()),
        })
    }

    /// `POST /v1/history`: a page of a citizen's history for a phone of their team; a citizen
    /// of another team, or none, is not found (the same answer, so that nothing is learnt).
    pub fn history(
        &self,
        device: &Device,
        request: wire::HistoryRequest,
    ) -> Result<wire::HistoryResponse> {
        check_keep_protocol(request.protocol)?;
        if device.retiring {
            return Err(crate::store::revoked(crate::store::Revocation::Retired));
        }
        let not_found = || Refusal::new(404, "not-found", "no such citizen in the team");
        gadeplan_core::journal::entry_id("citizen", &request.citizen).map_err(|_| not_found())?;
        let limit = request.limit.clamp(1, wire::PULL_MAX_ENTRIES);
        if i64::try_from(request.after).is_err() {
            return Err(Refusal::new(400, "invalid-input", "after is out of range"));
        }
        let team_of = self.write(|tx| tx.subject_team(&request.citizen))?;
        if team_of.as_deref() != Some(device.team.as_str()) {
            return Err(not_found());
        }
        let subjects = self.with_projection(&device.team, |conn, _, _| {
            let kept = gadeplan_core::projection::canonical(conn, &request.citizen)?;
            Ok(gadeplan_core::projection::known_as(conn, &kept)?)
        })?;
        let found =
            self.write(|tx| tx.subject_entries(&device.team, &subjects, request.after, limit + 1))?;
        let more = found.len() > limit as usize;
        let entries: Vec<wire::Sequenced> = found
            .into_iter()
            .take(limit as usize)
            .map(|(seq, entry)| wire::Sequenced { seq, entry })
            .collect();
        if request.after == 0 {
            self.write(|tx| {
                audit::append(
                    tx,
                    &AuditEvent {
                        actor: device.worker.clone(),
                        action: "history-fetched".into(),
                        team: Some(device.team.clone()),
                        subject: Some(request.citizen.clone()),
                        detail: Some(format!("device {}", device.id)),
                        source: None,
                    },
                )
            })?;
        }
        Ok(wire::HistoryResponse {
            protocol: request.protocol,
            entries,
            more,
            centre_time: Some(now_text()),
        })
    }

    /// `POST /v1/search`: the team's released citizens whose nickname holds the words asked
    /// for (folded as duplicates are: case, Danish letters, punctuation), at most `SEARCH_MAX`.
    pub fn search(
        &self,
        device: &Device,
        request: wire::SearchRequest,
    ) -> Result<wire::SearchResponse> {
        check_keep_protocol(request.protocol)?;
        let wanted = fold(&request.alias);
        if wanted.is_empty() || request.alias.chars().count() > gadeplan_core::journal::LIMIT_ALIAS
        {
            return Err(Refusal::new(
                400,
                "invalid-input",
                "alias: a part of a nickname, at most 100 characters",
            ));
        }
        let (_, released) = self.released(&device.team)?;
        let found = self.with_projection(&device.team, |conn, _, _| {
            let mut found = Vec::new();
            for citizen in &released {
                let alias: Option<String> = conn
                    .prepare_cached("SELECT alias FROM persons WHERE id = ?1")?
                    .query_row([citizen], |r| r.get(0))
                    .ok();
                if let Some(alias) = alias.filter(|a| fold(a).contains(&wanted)) {
                    found.push(wire::CitizenAtCentre {
                        citizen: citizen.clone(),
                        alias,
                    });
                }
                if found.len() == SEARCH_MAX {
                    break;
                }
            }
            Ok(found)
        })?;
        self.write(|tx| {
            audit::append(
                tx,
                &AuditEvent {
                    actor: device.worker.clone(),
                    action: "centre-searched".into(),
                    team: Some(device.team.clone()),
                    subject: None,
                    detail: Some(format!("{} found", found.len())),
                    source: None,
                },
            )
        })?;
        Ok(wire::SearchResponse {
            protocol: request.protocol,
            found,
            centre_time: Some(now_text()),
        })
    }
}

/// The released list, history and search exist from `wire::KEEP_PROTOCOL`.
fn check_keep_protocol(version: u32) -> Result<()> {
    if !(wire::KEEP_PROTOCOL..=wire::LATEST_PROTOCOL).contains(&version) {
        return Err(Refusal::new(
            400,
            "unsupported-protocol",
            format!(
                "this endpoint speaks protocols {} to {}",
                wire::KEEP_PROTOCOL,
                wire::LATEST_PROTOCOL
            ),
        ));
    }
    Ok(())
}
