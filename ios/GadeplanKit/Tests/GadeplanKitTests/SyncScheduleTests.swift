// When the app syncs (audit P8), with a fake clock and a fake platform: the background refresh
// asked for at the start and at every run, the debounce after records, the sync on leaving, the
// one more run after a sync that left records unsent, and everything stopped on revocation,
// a lost key, not enrolled, and sign-out.

import Foundation
import GadeplanCore
@testable import GadeplanKit
import XCTest

private func report(pushed: UInt32) -> SyncResult {
    .done(Records.syncReport(pushed: pushed))
}

/// What a background task was told (a class: the completion is a Sendable closure).
private final class Told: @unchecked Sendable {
    var values: [Bool] = []
}

private final class FakeTimer: SyncTimer {
    let at: Date
    let fire: @Sendable () -> Void
    var cancelled = false

    init(at: Date, fire: @escaping @Sendable () -> Void) {
        self.at = at
        self.fire = fire
    }

    func cancel() { cancelled = true }
}

private final class FakePlatform: SyncPlatform, @unchecked Sendable {
    var now = Date(timeIntervalSince1970: 1_800_000_000)
    var refreshes: [Date] = []
    var refreshCancelled = 0
    var timers: [FakeTimer] = []
    var syncs = 0
    var leavingSyncs = 0
    /// What the next syncs return.
    var result: SyncResult = report(pushed: 0)
    var unsentLeft: UInt64 = 0

    func submitRefresh(earliest: Date) { refreshes.append(earliest) }
    func cancelRefresh() { refreshCancelled += 1 }
    func timer(after delay: TimeInterval, _ fire: @escaping @Sendable () -> Void) -> SyncTimer {
        let timer = FakeTimer(at: now.addingTimeInterval(delay), fire: fire)
        timers.append(timer)
        return timer
    }
    func sync(_ done: @escaping @Sendable (SyncResult) -> Void) {
        syncs += 1
        done(result)
    }
    func syncWhileLeaving(_ done: @escaping @Sendable (SyncResult) -> Void) {
        leavingSyncs += 1
        done(result)
    }
    func unsent() -> UInt64? { unsentLeft }

    /// Moves the clock on, firing the timers that fall due and were not cancelled.
    func advance(_ seconds: TimeInterval) {
        now = now.addingTimeInterval(seconds)
        for timer in timers where !timer.cancelled && timer.at <= now {
            timer.cancelled = true
            timer.fire()
        }
    }

    var live: [FakeTimer] { timers.filter { !$0.cancelled } }
}

final class SyncScheduleTests: XCTestCase {
    private var platform: FakePlatform!
    private var schedule: SyncSchedule!

    override func setUp() {
        platform = FakePlatform()
        let platform = self.platform!
        schedule = SyncSchedule(platform: platform, clock: { platform.now })
    }

    func testNothingBeforeTheStart() {
        schedule.recorded()
        schedule.syncNow()
        schedule.pathChanged(online: true)
        schedule.leftScreen()
        XCTAssertEqual(platform.syncs + platform.leavingSyncs, 0)
        XCTAssertTrue(platform.timers.isEmpty)
        XCTAssertTrue(platform.refreshes.isEmpty)
    }

    func testStartAsksForARefreshAtTheEarliestIn15Minutes() {
        schedule.started()
        XCTAssertEqual(platform.refreshes, [platform.now.addingTimeInterval(15 * 60)])
    }

    func testRecordsAreDebouncedIntoOneSync() {
        schedule.started()
        schedule.recorded()
        platform.advance(10)
        schedule.recorded()
        platform.advance(10)
        XCTAssertEqual(platform.syncs, 0, "the second record moved the sync on")
        platform.advance(10)
        XCTAssertEqual(platform.syncs, 1)
        platform.advance(60)
        XCTAssertEqual(platform.syncs, 1)
    }

    func testLeavingTheScreenSyncsOnceInsteadOfThePendingDebounce() {
        schedule.started()
        schedule.recorded()
        schedule.leftScreen()
        XCTAssertEqual(platform.leavingSyncs, 1)
        platform.advance(60)
        XCTAssertEqual(platform.syncs, 0)
    }

    func testANetworkPathSyncsAndLosingItDoesNot() {
        schedule.started()
        schedule.pathChanged(online: false)
        XCTAssertEqual(platform.syncs, 0)
        schedule.pathChanged(online: true)
        XCTAssertEqual(platform.syncs, 1)
    }

    func testARefreshRunAsksForTheNextAndSaysWhetherItDidItsWork() {
        schedule.started()
        let told = Told()
        schedule.refreshTaskRan { told.values.append($0) }
        XCTAssertEqual(platform.refreshes.count, 2)
        platform.result = .retry(.offline)
        schedule.refreshTaskRan { told.values.append($0) }
        platform.result = .busy
        schedule.refreshTaskRan { told.values.append($0) }
        XCTAssertEqual(told.values, [true, false, true])
    }

    func testARefreshRunAfterARevocationCancelsTheRefreshAgain() {
        let told = Told()
        platform.result = .stop(.revoked)
        schedule.refreshTaskRan { told.values.append($0) }
        XCTAssertEqual(told.values, [false])
        XCTAssertFalse(schedule.isActive)
        XCTAssertEqual(platform.refreshCancelled, 1)
    }

    func testOneMoreRunWhileRecordsAreLeftAtMostThreeInARow() {
        schedule.started()
        platform.unsentLeft = 2
        platform.result = report(pushed: 5)
        schedule.syncNow()
        for _ in 0..<5 { platform.advance(SyncSchedule.debounce) }
        XCTAssertEqual(platform.syncs, 1 + SyncSchedule.moreRuns)
    }

    func testNoMoreRunWhenAllIsSentOrNothingWasSent() {
        schedule.started()
        platform.result = report(pushed: 5)
        schedule.syncNow()
        platform.result = report(pushed: 0)
        platform.unsentLeft = 3
        schedule.syncNow()
        platform.advance(60)
        XCTAssertEqual(platform.syncs, 2)
    }

    func testRevokedKeyLostAndNotEnrolledStopEverything() {
        for problem in [SyncProblem.revoked, .keyLost, .notEnrolled] {
            setUp()
            schedule.started()
            schedule.recorded()
            platform.result = .stop(problem)
            schedule.syncNow()
            XCTAssertFalse(schedule.isActive, "\(problem)")
            XCTAssertEqual(platform.refreshCancelled, 1)
            XCTAssertTrue(platform.live.isEmpty, "the debounce is cancelled")
            schedule.recorded()
            schedule.pathChanged(online: true)
            platform.advance(60)
            XCTAssertEqual(platform.syncs, 1, "nothing asked after \(problem)")
        }
    }

    func testOtherProblemsKeepTheSchedule() {
        schedule.started()
        for result in [SyncResult.retry(.offline), .stop(.tls), .stop(.centreRefused), .busy] {
            platform.result = result
            schedule.syncNow()
            XCTAssertTrue(schedule.isActive, "\(result)")
        }
        XCTAssertEqual(platform.refreshCancelled, 0)
    }

    func testSignOutStopsEverythingUntilTheNextStart() {
        schedule.started()
        schedule.recorded()
        schedule.stopAll()
        platform.advance(60)
        XCTAssertEqual(platform.syncs, 0)
        XCTAssertEqual(platform.refreshCancelled, 1)
        schedule.started()
        schedule.syncNow()
        XCTAssertEqual(platform.syncs, 1)
    }
}
