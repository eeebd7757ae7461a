// The core's records as the tests build them: every field of the bindings' initialiser, in its
// order, once here, with a default for what a test does not care about. When the core adds a
// field, this file breaks, not every test.

import Foundation
import GadeplanCore
@testable import GadeplanKit

enum Records {
    static let epoch = Date(timeIntervalSince1970: 1_800_000_000)

    /// An open own check-in, due at `dueAt`, its "due soon" point the core's ten minutes before
    /// (as the core's `due_soon_at` would be; the shell reads it, never computes it).
    static func checkin(id: String, worker: String = "anna", watcher: String = "bo",
                        place: String = "Vesterbrogade 1", startedAt: Date = Records.epoch, dueAt: Date,
                        dueSoonAt: Date? = nil, endedAt: Date? = nil) -> CheckinView {
        CheckinView(id: id, code: String(id.prefix(8)), subject: "s", worker: worker, watcher: watcher,
                    place: place, person: nil, reason: .soloHomeVisit,
                    reasonLabel: GadeplanCore.Label(code: "solo-home-visit", da: "", en: ""), highRisk: false,
                    startedAt: startedAt, dueAt: dueAt, dueSoonAt: dueSoonAt ?? dueAt.addingTimeInterval(-10 * 60),
                    endedAt: endedAt, endedBy: nil, endedOnBehalf: false, acknowledgedBy: [])
    }

    static func syncStatus(enrolled: Bool = true, pending: UInt64 = 0, rejected: UInt64 = 0,
                           storageFull: Bool = false, oldestUnsentAt: Date? = nil,
                           unsentTooLong: Bool = false) -> SyncStatus {
        SyncStatus(enrolled: enrolled, centre: "https://c.example", team: "Vesterbro", pending: pending,
                   rejected: rejected, setAside: 0, cursor: 0, clockOffByMs: nil, storageFull: storageFull,
                   atCentre: 0, erasedUnsent: 0, oldestUnsentAt: oldestUnsentAt,
                   unsentTooLong: unsentTooLong)
    }

    static func syncReport(pushed: UInt32 = 0) -> SyncReport {
        SyncReport(pushed: pushed, acknowledgedAgain: 0, rejected: 0, pulled: 0, repaired: false,
                   restamped: 0, digest: Digest(count: 0, sha256: ""), inStep: true)
    }
}
