// Which local notifications the worker's own check-ins get (audit P4): at the due time and at
// the core's "due soon" point, for open check-ins of this worker only, none in the past; moved
// when more time is given, taken back when ended.

import Foundation
import GadeplanCore
@testable import GadeplanKit
import XCTest

final class CheckinAlarmsTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func checkin(_ id: String, worker: String = "anna", due minutes: Double, ended: Bool = false) -> CheckinView {
        Records.checkin(id: id, worker: worker, startedAt: now, dueAt: now.addingTimeInterval(minutes * 60),
                        endedAt: ended ? now : nil)
    }

    func testDueSoonAndDueForAnOpenCheckin() {
        let alarms = CheckinAlarms.planned([checkin("c1", due: 45)], me: "anna", now: now)
        XCTAssertEqual(alarms.map(\.kind), [.ownDueSoon, .ownOverdue])
        XCTAssertEqual(alarms.map(\.at), [now.addingTimeInterval(35 * 60), now.addingTimeInterval(45 * 60)])
        XCTAssertEqual(Set(alarms.map(\.id)).count, 2)
        XCTAssertTrue(alarms.allSatisfy { $0.id.hasPrefix(CheckinAlarms.prefix) })
    }

    func testTheDueSoonAlarmIsAtTheCoresPoint() {
        // Whatever the core's lead is, the alarm is where the core says, not ten minutes of the shell's.
        let due = now.addingTimeInterval(45 * 60)
        let view = Records.checkin(id: "c1", startedAt: now, dueAt: due, dueSoonAt: due.addingTimeInterval(-7 * 60))
        let alarms = CheckinAlarms.planned([view], me: "anna", now: now)
        XCTAssertEqual(alarms.first { $0.kind == .ownDueSoon }?.at, due.addingTimeInterval(-7 * 60))
    }

    func testOnlyTheWorkersOwnOpenCheckinsAndNothingInThePast() {
        let alarms = CheckinAlarms.planned([
            checkin("colleague", worker: "bo", due: 45),
            checkin("ended", due: 45, ended: true),
            checkin("soon", due: 5),
            checkin("overdue", due: -5),
        ], me: "anna", now: now)
        XCTAssertEqual(alarms.map(\.checkin), ["soon"])
        XCTAssertEqual(alarms.map(\.kind), [.ownOverdue])
    }

    func testMoreTimeMovesTheAlarmsAndAnEndTakesThemBack() {
        let first = CheckinAlarms.planned([checkin("c1", due: 45)], me: "anna", now: now)
        let scheduled = Dictionary(uniqueKeysWithValues: first.map { ($0.id, $0.at) })
        // Nothing changed: nothing to do.
        let same = CheckinAlarms.changes(scheduled: scheduled, planned: first)
        XCTAssertEqual(same.remove, [])
        XCTAssertEqual(same.add, [])
        // +15 minutes: both replaced at the new times.
        let later = CheckinAlarms.planned([checkin("c1", due: 60)], me: "anna", now: now)
        let moved = CheckinAlarms.changes(scheduled: scheduled, planned: later)
        XCTAssertEqual(Set(moved.remove), Set(first.map(\.id)))
        XCTAssertEqual(moved.add, later)
        // Ended: both taken back, nothing added.
        let ended = CheckinAlarms.changes(scheduled: scheduled, planned: [])
        XCTAssertEqual(Set(ended.remove), Set(first.map(\.id)))
        XCTAssertEqual(ended.add, [])
    }

    func testOtherNotificationsAreLeftAlone() {
        let change = CheckinAlarms.changes(scheduled: ["dk.gadeplan.sync-trouble": now], planned: [])
        XCTAssertEqual(change.remove, [])
    }

    func testTitlesAreTheCoresAlertLabels() {
        let alarms = CheckinAlarms.planned([checkin("c1", due: 45)], me: "anna", now: now)
        for alarm in alarms {
            let title = CheckinAlarms.title(alarm, language: .danish)
            XCTAssertFalse(title.isEmpty)
            XCTAssertNotEqual(title, code(of: alarm.kind), "no core label for \(alarm.kind)")
        }
    }
}
