// A wipe waits for a sync under way (audit P7, Android's SyncGate): while the gate is held (a
// sync running), `PhoneStore.wipe` does not return; once it is let go, the wipe runs. And a sync
// asked while the gate is held is `busy`, not queued.

import Foundation
import GadeplanCore
@testable import GadeplanKit
import XCTest

final class SyncGateTests: XCTestCase {
    func testWipeWaitsForARunningSync() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let phone = PhoneStore(directory: dir, wrapper: MemoryWrapper(), deviceName: "Test iPhone", language: .english)
        SyncGate.lock.lock() // a sync running
        let wiped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? phone.wipe()
            wiped.signal()
        }
        XCTAssertEqual(wiped.wait(timeout: .now() + 0.3), .timedOut, "the wipe ran under a running sync")
        SyncGate.lock.unlock() // the sync ends
        XCTAssertEqual(wiped.wait(timeout: .now() + 5), .success)
    }
}
