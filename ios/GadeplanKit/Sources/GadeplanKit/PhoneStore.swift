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
//
// `rekey()` changes the store's key as docs/keys.md says a shell must ("How a shell keeps the old
// and the new key"): the new key saved as pending first, then the store rekeyed, then the
// pending key promoted; a typed refusal deletes it. Opening (`route()`) settles what a crash
// left: the current key, else the pending one (then promoted); a pending key not needed is
// deleted only once the store has opened with the current one. Routing and rekeying take one
// lock, so an opening never runs in the middle of a rekey.

import Foundation
import GadeplanCore

public enum Route: Equatable, Sendable {
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
    /// The store is not open (a rekey asked before the start settled, or after a sign-out).
    case notOpen

    func text(_ language: Language) -> String {
        switch self {
        case .keyUnavailable:
            return words("Telefonens data kan ikke åbnes: slet dem og tilmeld telefonen igen.",
                         "The phone's data cannot be opened: erase it and enrol the phone again.", language)
        case .locked:
            return words("Lås telefonen op, og prøv igen.", "Unlock the phone and try again.", language)
        case .notOpen:
            return words("Telefonens data er ikke åbne lige nu. Prøv igen om lidt.",
                         "The phone's data is not open just now. Try again in a moment.", language)
        }
    }
}

/// Where a rekey can be cut short between its steps (docs/keys.md names these three); the tests
/// stop there to play a phone dying.
enum RekeyStep: Equatable {
    case pendingSaved, storeRekeyed, promoted
}

public final class PhoneStore: @unchecked Sendable {
    public static let storeFileName = "gadeplan.db"

    public let directory: URL
    public let vault: KeyVault
    public let deviceName: String
    private let language: Language
    private let lock = NSLock()
    private var current: Store?
    /// Held by `route()`, `rekey()` and `wipe()` for their whole run (recursive: `enrol` routes).
    private let keyLock = NSRecursiveLock()

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
        keyLock.lock()
        defer { keyLock.unlock() }
        do {
            try prepareDirectory()
        } catch {
            return .broken(message: describe(error, language: language))
        }
        var key: Data?
        var lostDetail: String?
        switch vault.load() {
        case .locked:
            return .locked
        case let .lost(detail):
            guard storeExists else {
                // A key file without a store: nothing to lose; the next enrolment makes a new key.
                try? vault.erase()
                return .enrol(storeExists: false)
            }
            // The pending key of a rekey cut short may still open it (below).
            lostDetail = detail
        case .missing:
            key = nil
        case let .found(found):
            key = found
        }
        do {
            let (state, opening) = try startStateSettlingKeys(key)
            switch state {
            case let .needsEnrolment(exists):
                if exists, let opening, store() == nil { keep(try Store.open(path: path, key: opening)) }
                return .enrol(storeExists: exists)
            case let .enrolled(worker, team, centre):
                if let opening, store() == nil { keep(try Store.open(path: path, key: opening)) }
                return .main(worker: worker, team: team, centre: centre)
            case let .revoked(how):
                keep(nil)
                return .revoked(how: how)
            case let .keyLost(detail):
                keep(nil)
                return .keyLost(detail: lostDetail ?? detail)
            }
        } catch {
            keep(nil)
            return .broken(message: describe(error, language: language))
        }
    }

    /// The start state with the current key, or with the pending key when the current one does
    /// not open the store (docs/keys.md, "Opening the store"): a pending key that opens it is
    /// promoted (the rekey had finished, its promotion had not); a pending key beside a current
    /// one that opens the store is deleted (the rekey had not happened). Returns the state and the
    /// key that opened the store.
    private func startStateSettlingKeys(_ key: Data?) throws -> (StartState, Data?) {
        let state = try startState(path: path, key: key)
        guard let pending = vault.loadPending() else { return (state, key) }
        if case .keyLost = state {
            guard case let .found(pendingKey) = pending else { return (state, key) }
            let second = try startState(path: path, key: pendingKey)
            if case .keyLost = second { return (state, key) }
            try vault.promotePending()
            return (second, pendingKey)
        }
        // The current key opened the store (or there is no store): the pending key is not needed.
        try? vault.discardPending()
        return (state, key)
    }

    // MARK: rekey

    /// Changes the store's key (docs/keys.md): a new random key saved as pending, the store
    /// re-encrypted with it (the core's `rekey`, all or nothing), the pending key promoted to the
    /// current one, then deleted. A typed refusal (wrong key, invalid key, the store open
    /// elsewhere, a full disk) leaves the store under the current key: the pending key is deleted
    /// and the refusal thrown. Whatever moment the phone dies at, one of the two saved keys opens
    /// the store, and the next `route()` settles which. A sync under way finishes first.
    public func rekey() throws {
        try rekey(stoppingAfter: { _ in })
    }

    /// `rekey()` with a hook after each step; a hook that throws plays a phone dying there.
    func rekey(stoppingAfter step: (RekeyStep) throws -> Void) throws {
        keyLock.lock()
        defer { keyLock.unlock() }
        guard let store = store() else { throw PhoneStoreError.notOpen }
        guard case let .found(currentKey) = vault.load() else { throw PhoneStoreError.keyUnavailable }
        let newKey = try vault.beginPending()                          // 1, 2
        try step(.pendingSaved)
        do {
            try store.rekey(currentKey: currentKey, newKey: newKey)    // 3
        } catch let error as GadeplanError where Self.leftUnchanged(error) {
            try? vault.discardPending()                                // 5
            throw error
        } catch {
            // Not one of the typed refusals: only opening the store says which key it is under
            // now. Close it and open it again as at a start, which settles the keys.
            keep(nil)
            _ = route()
            throw error
        }
        try step(.storeRekeyed)
        try vault.writePendingAsCurrent()                              // 4
        try step(.promoted)
        try vault.discardPending()
    }

    /// The refusals after which the store is unchanged under the current key (docs/keys.md).
    static func leftUnchanged(_ error: GadeplanError) -> Bool {
        switch error {
        case .WrongKey, .InvalidInput, .NotAllowed, .StorageFull: return true
        default: return false
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
        if try store.map({ try Self.madeForAnother($0, worker: worker) }) ?? false {
            // Made for another name by an enrolment that failed: nothing recorded is lost by
            // starting afresh (an unenrolled store holds what this worker recorded only if they
            // recorded under that name, which the app does not offer before enrolment). Every
            // reference to the open store is dropped first, so its connection is closed before
            // the files are erased (no `if let` binding keeps it alive over the erase).
            keep(nil)
            store = nil
            try eraseStore(path: path)
        }
        let enrolling = try store ?? Store.create(path: path, key: key, worker: worker, deviceName: deviceName)
        keep(enrolling)
        _ = try enrolling.enrol(transport: transport, centre: centre, code: code)
        return route()
    }

    /// An unenrolled store made for another worker's name.
    private static func madeForAnother(_ store: Store, worker: String) throws -> Bool {
        if try store.identity().worker == worker { return false }
        return try !store.syncStatus().enrolled
    }

    /// The worker's own entries not yet at the centre; nil when the store cannot say.
    public func unsent() -> UInt64? {
        guard let store = self.store() else { return nil }
        return try? store.syncStatus().pending
    }

    /// Closes the store and erases it and its key: the phone is back at enrolment. A sync under
    /// way finishes first (SyncGate), so its files are never erased under it.
    public func wipe() throws {
        SyncGate.lock.lock()
        defer { SyncGate.lock.unlock() }
        keyLock.lock()
        defer { keyLock.unlock() }
        keep(nil)
        try eraseStore(path: path)
        try vault.erase()
    }
}
