// The store's key: 32 random bytes, kept in the store's directory as a small file wrapped by a
// platform key (the Keychain on the phone, an in-memory key in the tests). What matters here is
// what happens when something is missing (review findings I6, A8):
// - `load()` never creates anything. A first start (no key file, no store) is `missing`; a store
//   whose key cannot be had (no key file, or the wrapping key gone, or a file the wrapping key
//   does not open) is `lost`: the app says so and offers the wipe, and never makes a new key that
//   would leave an existing store unopenable;
// - a Keychain not readable yet (launched or prewarmed before the first unlock since boot:
//   errSecInteractionNotAllowed) is `locked`, not lost: the app waits for protected data and
//   tries again.
// The file is one version byte and the wrapped key; it is written to a temporary file, synced,
// and renamed over, so a crash leaves the old file or the new one.
//
// While the store is rekeyed a second key is kept beside it, **pending** (docs/keys.md, "How a
// shell keeps the old and the new key"): the same wrapped blob, in a Keychain item of its own
// (account `store-key.pending`, the wrapping key's accessibility). `beginPending` makes and saves
// it before the store is touched; `writePendingAsCurrent` then `discardPending` promote it once
// the store is rekeyed; `discardPending` alone after a refusal. PhoneStore's opening decides
// which key a crash left in force (`loadPending`).

import Foundation
import Security

/// The platform's wrapping key.
public protocol KeyWrapper: AnyObject {
    /// Whether the wrapping key exists; throws `KeyWrapperError.locked` before the first unlock.
    func exists() throws -> Bool
    /// Makes the wrapping key (only `KeyVault.create` calls it).
    func create() throws
    func wrap(_ plain: Data, aad: Data) throws -> Data
    /// Throws on a bad blob, a missing key (`.missing`) or a locked Keychain (`.locked`).
    func unwrap(_ blob: Data, aad: Data) throws -> Data
    func delete() throws
    /// The pending key's blob (a Keychain item beside the wrapping key, account
    /// `store-key.pending`), nil when there is none; throws `.locked` before the first unlock.
    func readPending() throws -> Data?
    /// Saves the pending key's blob (replacing any), durably: it returns once the Keychain has it.
    func writePending(_ blob: Data) throws
    /// Deletes the pending key's blob; nothing to delete is no error.
    func deletePending() throws
}

public enum KeyWrapperError: Error, Equatable {
    /// The Keychain cannot be read now (before the first unlock after boot).
    case locked
    /// The wrapping key is not there.
    case missing
    /// The blob does not open with the wrapping key.
    case corrupt(String)
    /// Anything else the platform said (an OSStatus).
    case platform(String)
}

public enum LoadedKey: Equatable {
    case found(Data)
    /// No key file and no store: a first start.
    case missing
    /// The key cannot be had: the store it opened can never be read again.
    case lost(String)
    /// The Keychain is not readable yet; try again when protected data is available.
    case locked
}

public final class KeyVault: @unchecked Sendable {
    public static let fileName = "store.key.enc"
    static let version: UInt8 = 1
    /// Bound into the wrapping, so a blob is only ever a Gadeplan store key.
    static let aad = Data("dk.gadeplan.store-key.v1".utf8)

    public let directory: URL
    private let wrapper: KeyWrapper
    /// Whether a store is there (a store without its key is a lost key, not a first start).
    private let storeExists: () -> Bool
    private let lock = NSLock()

    public init(directory: URL, wrapper: KeyWrapper, storeExists: @escaping () -> Bool) {
        self.directory = directory
        self.wrapper = wrapper
        self.storeExists = storeExists
    }

    var file: URL { directory.appendingPathComponent(Self.fileName) }

    public func load() -> LoadedKey {
        lock.lock()
        defer { lock.unlock() }
        guard let blob = try? Data(contentsOf: file) else {
            if FileManager.default.fileExists(atPath: file.path) {
                return .lost("the key file cannot be read")
            }
            return storeExists() ? .lost("the store's key file is missing") : .missing
        }
        return unwrapped(blob)
    }

    /// The key in a blob (the key file's or the pending item's); never creates anything.
    private func unwrapped(_ blob: Data) -> LoadedKey {
        guard blob.count > 1, blob[blob.startIndex] == Self.version else {
            return .lost("the key file has an unknown format")
        }
        do {
            guard try wrapper.exists() else { return .lost("the wrapping key is gone") }
            let key = try wrapper.unwrap(blob.dropFirst(), aad: Self.aad)
            guard key.count == 32 else { return .lost("the key file holds no store key") }
            return .found(key)
        } catch KeyWrapperError.locked {
            return .locked
        } catch KeyWrapperError.missing {
            return .lost("the wrapping key is gone")
        } catch {
            return .lost("the key file does not open: \(error)")
        }
    }

    /// 32 bytes from the platform's secure random source.
    private static func randomKey() throws -> Data {
        var key = Data(count: 32)
        let status = key.withUnsafeMutableBytes { buffer in
            SecRandomCopyBytes(kSecRandomDefault, 32, buffer.baseAddress!)
        }
        guard status == errSecSuccess else { throw KeyWrapperError.platform("SecRandomCopyBytes \(status)") }
        return key
    }

    /// The version byte and the key wrapped: what the key file and the pending item hold.
    private func blob(for key: Data) throws -> Data {
        var blob = Data([Self.version])
        blob.append(try wrapper.wrap(key, aad: Self.aad))
        return blob
    }

    /// A new random key, wrapped and written; replaces any earlier key file and wrapping key.
    public func create() throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = try Self.randomKey()
        try? wrapper.deletePending()
        try? wrapper.delete()
        try wrapper.create()
        try writeDurably(try blob(for: key), to: file)
        return key
    }

    // MARK: the pending key of a rekey (docs/keys.md)

    /// The key a rekey under way, or cut short, left pending; nil when there is none.
    public func loadPending() -> LoadedKey? {
        lock.lock()
        defer { lock.unlock() }
        do {
            guard let blob = try wrapper.readPending() else { return nil }
            return unwrapped(blob)
        } catch KeyWrapperError.locked {
            return .locked
        } catch {
            return .lost("the pending key cannot be read: \(error)")
        }
    }

    /// Steps 1 and 2 of a rekey: a new random key, wrapped by the same wrapping key and saved as
    /// pending beside the current one (which stays as it is). Returns the new key only once it is
    /// saved and reads back.
    public func beginPending() throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        let key = try Self.randomKey()
        try wrapper.writePending(try blob(for: key))
        guard let saved = try wrapper.readPending(), unwrapped(saved) == .found(key) else {
            try? wrapper.deletePending()
            throw KeyWrapperError.platform("the pending key did not read back as saved")
        }
        return key
    }

    /// Step 4's first half: the pending key becomes the current one (its blob written over the
    /// key file, durably). The pending item stays until `discardPending`.
    public func writePendingAsCurrent() throws {
        lock.lock()
        defer { lock.unlock() }
        guard let blob = try wrapper.readPending() else { throw KeyWrapperError.missing }
        guard case .found = unwrapped(blob) else {
            throw KeyWrapperError.corrupt("the pending key does not open")
        }
        try writeDurably(blob, to: file)
    }

    /// Step 4 whole: the pending key made current, then deleted.
    public func promotePending() throws {
        try writePendingAsCurrent()
        try discardPending()
    }

    /// Deletes the pending key (step 4's end; step 5 after a refusal; at opening when the
    /// current key opened the store).
    public func discardPending() throws {
        lock.lock()
        defer { lock.unlock() }
        try wrapper.deletePending()
    }

    /// Deletes the key file and the wrapping key (sign-out, a lost key's reset).
    public func erase() throws {
        lock.lock()
        defer { lock.unlock() }
        if FileManager.default.fileExists(atPath: file.path) {
            try FileManager.default.removeItem(at: file)
        }
        try wrapper.deletePending()
        try wrapper.delete()
    }
}

/// Writes `data` to a temporary file beside `url`, syncs it, and renames it over `url`.
func writeDurably(_ data: Data, to url: URL) throws {
    let temporary = url.deletingLastPathComponent()
        .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
        throw KeyWrapperError.platform("cannot create \(temporary.lastPathComponent)")
    }
    do {
        let handle = try FileHandle(forWritingTo: temporary)
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        try handle.synchronize()
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        throw error
    }
    guard rename(temporary.path, url.path) == 0 else {
        let code = errno
        try? FileManager.default.removeItem(at: temporary)
        throw KeyWrapperError.platform("rename failed: errno \(code)")
    }
}
