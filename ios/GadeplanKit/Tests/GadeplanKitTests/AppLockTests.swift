// The app lock's policy with a clock the test moves.

import XCTest
@testable import GadeplanKit

final class AppLockTests: XCTestCase {
    private var now = Date(timeIntervalSince1970: 1_800_000_000)

    private func makeLock() -> AppLock { AppLock(timeout: 300, clock: { [unowned self] in self.now }) }

    func testLockedAtColdStart() {
        XCTAssertTrue(makeLock().locked)
    }

    /// A lock unlocked, then in the background for `seconds`, and in the foreground again.
    private func lockAfterAbsence(of seconds: TimeInterval) -> AppLock {
        let lock = makeLock()
        lock.unlocked()
        lock.backgrounded()
        now += seconds
        lock.foregrounded()
        return lock
    }

    func testShortAbsenceKeepsItOpen() {
        XCTAssertFalse(lockAfterAbsence(of: 299).locked)
    }

    func testLongAbsenceLocksAgain() {
        let lock = lockAfterAbsence(of: 300)
        XCTAssertTrue(lock.locked)
        lock.unlocked()
        XCTAssertFalse(lock.locked)
    }

    func testForegroundWithoutBackgroundChangesNothing() {
        let lock = makeLock()
        lock.unlocked()
        now += 10_000
        lock.foregrounded()
        XCTAssertFalse(lock.locked)
    }
}
