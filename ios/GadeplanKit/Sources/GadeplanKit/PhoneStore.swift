// The phone's one store, and where the app starts (review findings I6, I7, I9, I13; the
// contract's PhoneStore). The route comes from the core's `startState`, never from "a file
// exists": a failed enrolment goes back to enrolment, a revoked phone says so, a lost key says so
// and offers the wipe, and a Keychain not readable before the first unlock is `locked` (the app
// tries again when protected data becomes available).
//
// The store lives in its own directory (Application Support/Store/: the database, its -wal and
// -shm, the sync lock and the wrapped key) and the directory is excluded from backups at every
// `route()` (I7), so a crash between creating the store and marking it cannot leave it in a
// backup. The open store is held under a lock, not on the main actor, so the background sync
// reads it from any thread (I13). Every method blocks: call it off the main thread.

import Foundation
import GadeplanCore

public enum Route: Equatable {
    /// Enrol (create a store first when `storeExists` is false).
    case enrol(storeExists: Bool)
    case main(worker: String, team: String, centre: String)
    /// The centre revoked the phone and the core erased its data: say so, then wipe and enrol.
    case revoked(how: String)
    /// The store's key is gone: what it held cannot be read; wipe and enrol again.
    case keyLost(detail: String)
    /// The store cannot be opened for another reason (too new, storage): said, not crashed.
    case broken(message: String)
    /// The Keychain is not readable yet (before the first unlock since boot).
    case locked
}

public enum PhoneStoreError: Error, Equatable {
    /// Enrolment over a store whose key is lost or not readable now.
    case keyUnavailable
    /// The vault says locked: try again after unlocking.
    case locked

    func text(_ language: Language) -> String {
        switch self {
        case .keyUnavailable:
            return words("Telefonens data kan ikke åbnes: slet dem og tilmeld telefonen igen.",
                         "The phone's data cannot be opened: erase it and enrol the phone again.", language)
        case .locked:
            return words("Lås telefonen op, og prøv igen.", "Unlock the phone and try again.", language)
        }
    }
}

public final class PhoneStore: @unchecked Sendable {
    public static let storeFileName = "gadeplan.db"

    public let directory: URL
    public let vault: KeyVault
    public let deviceName: String
    private let language: Language
    private let lock = NSLock()
    private var current: Store?

    /// `directory` is the store's own directory (on the phone Application Support/Store/).
    public init(directory: URL, wrapper: KeyWrapper, deviceName: String, language: Language) {
        self.directory = directory
        let storeFile = directory.appendingPathComponent(Self.storeFileName)
        self.vault = KeyVault(directory: directory, wrapper: wrapper,
                              storeExists: { FileManager.default.fileExists(atPath: storeFile.path) })
        self.deviceName = deviceName
        self.language = language
    }

    public var path: String { directory.appendingPathComponent(Self.storeFileName).path }

    private var storeExists: Bool { FileManager.default.fileExists(atPath: path) }

    /// The open store, once `route()` said `.main` or `.enrol(storeExists: true)`.
    public func store() -> Store? {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    private func keep(_ store: Store?) {
        lock.lock()
        current = store
        lock.unlock()
    }

    /// Makes the directory and excludes it (and so everything in it) from backups.
    public func prepareDirectory() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var values = URLResourceValues()
        values.isExcludedFromBackup = true
        var url = directory
        try url.setResourceValues(values)
    }

    /// Where the app starts. Never throws: a failure is `.broken` with its words.
    public func route() -> Route {
        do {
            try prepareDirectory()
        } catch {
            return .broken(message: describe(error, language: language))
        }
        let key: Data?
        switch vault.load() {
        case .locked:
            return .locked
        case let .lost(detail):
            guard storeExists else {
                // A key file without a store: nothing to lose; the next enrolment makes a new key.
                try? vault.erase()
                return .enrol(storeExists: false)
            }
            keep(nil)
            return .keyLost(detail: detail)
        case .missing:
            key = nil
        case let .found(found):
            key = found
        }
        do {
            switch try startState(path: path, key: key) {
            case let .needsEnrolment(exists):
                if exists, let key, store() == nil { keep(try Store.open(path: path, key: key)) }
                return .enrol(storeExists: exists)
            case let .enrolled(worker, team, centre):
                if let key, store() == nil { keep(try Store.open(path: path, key: key)) }
                return .main(worker: worker, team: team, centre: centre)
            case let .revoked(how):
                keep(nil)
                return .revoked(how: how)
            case let .keyLost(detail):
                keep(nil)
                return .keyLost(detail: detail)
            }
        } catch {
            keep(nil)
            return .broken(message: describe(error, language: language))
        }
    }

    /// Creates the store if there is none (and re-creates an unenrolled one made for another
    /// worker's name), enrols it over `transport`, and returns the new route. A failure throws
    /// the core's typed error and leaves the phone where it was: enrolment again, nothing lost.
    public func enrol(centre: String, code: String, worker: String, transport: Transport) throws -> Route {
        try prepareDirectory()
        let key: Data
        switch vault.load() {
        case let .found(found):
            key = found
        case .missing:
            key = try vault.create()
        case .lost:
            guard !storeExists else { throw PhoneStoreError.keyUnavailable }
            key = try vault.create()
        case .locked:
            throw PhoneStoreError.locked
        }
        var store = self.store()
        if store == nil, storeExists {
            store = try Store.open(path: path, key: key)
        }
        if let existing = store, try existing.identity().worker != worker,
           try !existing.syncStatus().enrolled {
            // Made for another name by an enrolment that failed: nothing recorded is lost by
            // starting afresh (an unenrolled store holds what this worker recorded only if they
            // recorded under that name, which the app does not offer before enrolment).
            keep(nil)
            store = nil
            try eraseStore(path: path)
        }
        let enrolling = try store ?? Store.create(path: path, key: key, worker: worker, deviceName: deviceName)
        keep(enrolling)
        _ = try enrolling.enrol(transport: transport, centre: centre, code: code)
        return route()
    }

    /// The worker's own entries not yet at the centre; nil when the store cannot say.
    public func unsent() -> UInt64? {
        guard let store = self.store() else { return nil }
        return try? store.syncStatus().pending
    }

    /// Closes the store and erases it and its key: the phone is back at enrolment.
    public func wipe() throws {
        keep(nil)
        try eraseStore(path: path)
        try vault.erase()
    }
}
