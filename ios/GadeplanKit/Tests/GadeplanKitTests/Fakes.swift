// Test doubles for the platform: a wrapping key in memory (that can be lost or locked at will),
// with the pending key's item of a rekey beside it; a sync log and a notifier that remember
// what they were told.

import Foundation
import GadeplanCore
@testable import GadeplanKit

final class MemoryWrapper: KeyWrapper {
    var key: UInt8?
    var locked = false
    private(set) var creations = 0

    func exists() throws -> Bool {
        if locked { throw KeyWrapperError.locked }
        return key != nil
    }

    func create() throws {
        if locked { throw KeyWrapperError.locked }
        creations += 1
        key = UInt8.random(in: 1...255)
    }

    func wrap(_ plain: Data, aad: Data) throws -> Data {
        guard let key else { throw KeyWrapperError.missing }
        return Data([key]) + aad + Data(plain.map { $0 ^ key })
    }

    func unwrap(_ blob: Data, aad: Data) throws -> Data {
        if locked { throw KeyWrapperError.locked }
        guard let key else { throw KeyWrapperError.missing }
        guard blob.first == key, blob.dropFirst().prefix(aad.count) == aad else {
            throw KeyWrapperError.corrupt("wrong wrapping key")
        }
        return Data(blob.dropFirst(1 + aad.count).map { $0 ^ key })
    }

    func delete() throws { key = nil }

    /// The pending key's item (the Keychain's `store-key.pending` on the phone).
    var pending: Data?

    func readPending() throws -> Data? {
        if locked { throw KeyWrapperError.locked }
        return pending
    }

    func writePending(_ blob: Data) throws {
        if locked { throw KeyWrapperError.locked }
        pending = blob
    }

    func deletePending() throws {
        if locked { throw KeyWrapperError.locked }
        pending = nil
    }
}

final class MemoryLog: SyncLog {
    var records: [SyncRecord] = []
    func save(_ record: SyncRecord) { records.append(record) }
    func last() -> SyncRecord? { records.last }
}

final class RecordingNotifier: SyncNotifier {
    var troubles: [SyncProblem] = []
    var revocations = 0
    var overdue = 0
    var clears = 0
    func trouble(_ problem: SyncProblem, text: String) { troubles.append(problem) }
    func revoked(text: String) { revocations += 1 }
    func overdueCheckins(_ alerts: [GadeplanCore.Alert], text: String) { overdue += 1 }
    func clear() { clears += 1 }
}

func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gadeplankit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
