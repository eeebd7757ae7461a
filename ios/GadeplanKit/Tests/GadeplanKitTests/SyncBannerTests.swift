// The sync banner's words and levels, worst first.

import XCTest
import GadeplanCore
@testable import GadeplanKit

final class SyncBannerTests: XCTestCase {
    private let now = Date(timeIntervalSince1970: 1_800_000_000)

    private func status(pending: UInt64 = 0, rejected: UInt64 = 0, enrolled: Bool = true,
                        storageFull: Bool = false, unsentTooLong: Bool = false) -> SyncStatus {
        Records.syncStatus(enrolled: enrolled, pending: pending, rejected: rejected, storageFull: storageFull,
                           oldestUnsentAt: pending > 0 ? now - 60 : nil, unsentTooLong: unsentTooLong)
    }

    func testNotEnrolledSaysOnlyThat() {
        let banner = syncBanner(status: status(pending: 2, enrolled: false), last: nil, online: true, now: now, language: .english)
        XCTAssertEqual(banner, Banner(text: "The phone is not enrolled.", level: .error))
    }

    func testStorageFullIsAnError() {
        let banner = syncBanner(status: status(storageFull: true), last: synced(ago: 60), online: true, now: now, language: .english)
        XCTAssertEqual(banner.level, .error)
        XCTAssertTrue(banner.text.hasPrefix("The phone's storage is full"), banner.text)
    }

    private func synced(ago: TimeInterval, problem: SyncProblem? = nil, detail: String? = nil) -> SyncRecord {
        SyncRecord(attemptAt: now, successAt: now - ago, problem: problem, detail: detail)
    }

    func testAllSentIsOk() {
        let banner = syncBanner(status: status(), last: synced(ago: 60), online: true, now: now, language: .danish)
        XCTAssertEqual(banner.level, .ok)
        XCTAssertTrue(banner.text.hasPrefix("Sidst synkroniseret"), banner.text)
    }

    func testNeverSyncedSaysSo() {
        let banner = syncBanner(status: status(), last: nil, online: true, now: now, language: .english)
        XCTAssertEqual(banner.text, "Never synced")
        XCTAssertEqual(banner.level, .info)
    }

    func testOfflineWithUnsentCounts() {
        let banner = syncBanner(status: status(pending: 3), last: synced(ago: 60), online: false, now: now, language: .danish)
        XCTAssertTrue(banner.text.hasPrefix("Offline · 3 ikke sendt · sidst synkroniseret"), banner.text)
        XCTAssertEqual(banner.level, .info)
    }

    func testUnsentTooLongWarnsByTheCoresRule() {
        let fresh = syncBanner(status: status(pending: 2), last: synced(ago: 9 * 3600), online: true, now: now, language: .english)
        XCTAssertEqual(fresh.level, .info, "the core's rule, not the time since the last sync")
        let banner = syncBanner(status: status(pending: 2, unsentTooLong: true), last: synced(ago: 60), online: true, now: now, language: .english)
        XCTAssertEqual(banner.level, .warning)
        XCTAssertTrue(banner.text.contains("2 not sent"), banner.text)
    }

    func testRejectedWarns() {
        let banner = syncBanner(status: status(rejected: 1), last: synced(ago: 60), online: true, now: now, language: .danish)
        XCTAssertEqual(banner.level, .warning)
        XCTAssertTrue(banner.text.hasPrefix("1 afvist af centret"), banner.text)
    }

    func testTheCoresAdviceDecidesWhatIsAnError() {
        let retried = SyncRecord(attemptAt: now, successAt: now - 60, problem: .clockWrong, detail: "Uret", stopped: false)
        XCTAssertNotEqual(syncBanner(status: status(), last: retried, online: true, now: now, language: .danish).level, .error)
        let stopped = SyncRecord(attemptAt: now, successAt: now - 60, problem: .tls, detail: "Certifikat", stopped: true)
        XCTAssertEqual(syncBanner(status: status(), last: stopped, online: true, now: now, language: .danish).level, .error)
    }

    func testStopProblemIsAnError() {
        let banner = syncBanner(status: status(), last: synced(ago: 60, problem: .centreRefused, detail: "Centret afviste"),
                                online: true, now: now, language: .danish)
        XCTAssertEqual(banner.level, .error)
        XCTAssertTrue(banner.text.hasPrefix("Centret afviste"), banner.text)
    }
}
