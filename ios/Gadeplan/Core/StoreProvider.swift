// Owns the phone's one encrypted store, in Application Support, excluded from backups. The store
// is created at enrolment, when the worker's name is known.

import Foundation
import GadeplanCore

@MainActor
final class StoreProvider: ObservableObject {
    static let shared = StoreProvider()
    @Published private(set) var store: Store?

    private var url: URL {
        let dir = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent("gadeplan.db")
    }

    init() {
        if FileManager.default.fileExists(atPath: url.path) {
            store = try? Store.open(path: url.path, key: KeychainKey.storeKey())
        }
    }

    func create(worker: String) throws -> Store {
        if let store { return store }
        let created = try Store.create(path: url.path, key: KeychainKey.storeKey(), worker: worker, deviceName: UIDeviceName.current)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        var file = url
        try? file.setResourceValues(values)
        store = created
        return created
    }
}

enum UIDeviceName {
    static var current: String { ProcessInfo.processInfo.hostName }
}
