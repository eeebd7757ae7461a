// What the app takes from the phone: where the store lives (Application Support/Store/, the whole
// directory excluded from backups at every start: review finding I7), the device's name as the
// centre lists it (the model and a short id, never `hostName`, which can block on a name look-up
// and says "localhost" on current iOS: I8), the app's version for the User-Agent, and the last
// sync kept in the app's own UserDefaults (required reason CA92.1 in PrivacyInfo.xcprivacy).

import Foundation
import GadeplanKit
import UIKit

enum Platform {
    static var storeDirectory: URL {
        let support = FileManager.default.urls(for: .applicationSupportDirectory, in: .userDomainMask)[0]
        return support.appendingPathComponent("Store", isDirectory: true)
    }

    @MainActor
    static var deviceName: String {
        let id = UIDevice.current.identifierForVendor?.uuidString.prefix(4) ?? "0000"
        return "\(UIDevice.current.model) \(id)"
    }

    static var version: String {
        let info = Bundle.main.infoDictionary
        let short = info?["CFBundleShortVersionString"] as? String ?? "0"
        let build = info?["CFBundleVersion"] as? String ?? "0"
        return "\(short)+\(build)"
    }
}

/// The last sync, kept across launches for the banner.
final class DefaultsSyncLog: SyncLog, @unchecked Sendable {
    private let key = "dk.gadeplan.last-sync"
    private let defaults = UserDefaults.standard

    func save(_ record: SyncRecord) {
        if let data = try? JSONEncoder().encode(record) { defaults.set(data, forKey: key) }
    }

    func last() -> SyncRecord? {
        guard let data = defaults.data(forKey: key) else { return nil }
        return try? JSONDecoder().decode(SyncRecord.self, from: data)
    }

    func forget() { defaults.removeObject(forKey: key) }
}
