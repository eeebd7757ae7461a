// The phone's wrapping key: a P-256 key pair kept in the Keychain, readable after the first
// unlock since boot and never leaving this device (kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly:
// not in backups, not in iCloud Keychain), so background sync still opens the store while the
// phone is locked in a pocket. The store key is wrapped with ECIES (X9.63 SHA-256, AES-GCM) by
// the Security framework alone; the associated data is bound into the sealed text and checked on
// the way out. errSecInteractionNotAllowed (before the first unlock) is `locked`, never "missing"
// (review finding I6): a vault that took it for missing would report the key lost.
// During a rekey the new store key waits, wrapped, in a generic-password item beside it (service
// dk.gadeplan.store-key, account `store-key.pending`, the same AfterFirstUnlockThisDeviceOnly:
// docs/keys.md); SecItemAdd returns once the Keychain has it.

import Foundation
import Security

public final class KeychainKeyWrapper: KeyWrapper {
    private let tag: Data
    private static let algorithm = SecKeyAlgorithm.eciesEncryptionCofactorVariableIVX963SHA256AESGCM

    private let service: String
    public static let pendingAccount = "store-key.pending"

    public init(tag: String = "dk.gadeplan.store-wrapping-key", service: String = "dk.gadeplan.store-key") {
        self.tag = Data(tag.utf8)
        self.service = service
    }

    private var baseQuery: [String: Any] {
        [
            kSecClass as String: kSecClassKey,
            kSecAttrApplicationTag as String: tag,
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecUseDataProtectionKeychain as String: true,
        ]
    }

    /// The one item `query` matches, asked for as `returning` (kSecReturnRef, kSecReturnData):
    /// SecItemCopyMatching's status and what it gave. The key and the pending key both read so.
    private static func copyOne(_ query: [String: Any], returning: CFString) -> (OSStatus, CFTypeRef?) {
        var query = query
        query[returning as String] = true
        query[kSecMatchLimit as String] = kSecMatchLimitOne
        var item: CFTypeRef?
        let status = SecItemCopyMatching(query as CFDictionary, &item)
        return (status, item)
    }

    private func privateKey() throws -> SecKey {
        var query = baseQuery
        query[kSecAttrKeyClass as String] = kSecAttrKeyClassPrivate
        let (status, item) = Self.copyOne(query, returning: kSecReturnRef)
        switch status {
        case errSecSuccess:
            guard let item, CFGetTypeID(item) == SecKeyGetTypeID() else {
                throw KeyWrapperError.platform("the Keychain item is not a key")
            }
            return item as! SecKey // swiftlint:disable:this force_cast (type checked above)
        case errSecItemNotFound:
            throw KeyWrapperError.missing
        case errSecInteractionNotAllowed:
            throw KeyWrapperError.locked
        default:
            throw KeyWrapperError.platform("SecItemCopyMatching \(status)")
        }
    }

    public func exists() throws -> Bool {
        do {
            _ = try privateKey()
            return true
        } catch KeyWrapperError.missing {
            return false
        }
    }

    public func create() throws {
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly, [], nil)
        else { throw KeyWrapperError.platform("SecAccessControlCreateWithFlags failed") }
        let attributes: [String: Any] = [
            kSecAttrKeyType as String: kSecAttrKeyTypeECSECPrimeRandom,
            kSecAttrKeySizeInBits as String: 256,
            kSecUseDataProtectionKeychain as String: true,
            kSecPrivateKeyAttrs as String: [
                kSecAttrIsPermanent as String: true,
                kSecAttrApplicationTag as String: tag,
                kSecAttrAccessControl as String: access,
            ] as [String: Any],
        ]
        var error: Unmanaged<CFError>?
        guard SecKeyCreateRandomKey(attributes as CFDictionary, &error) != nil else {
            let reason = error.map { String(describing: $0.takeRetainedValue()) } ?? "unknown"
            throw KeyWrapperError.platform("SecKeyCreateRandomKey: \(reason)")
        }
    }

    public func wrap(_ plain: Data, aad: Data) throws -> Data {
        guard let publicKey = SecKeyCopyPublicKey(try privateKey()) else {
            throw KeyWrapperError.platform("no public key")
        }
        var sealed = aad
        sealed.append(plain)
        var error: Unmanaged<CFError>?
        guard let blob = SecKeyCreateEncryptedData(publicKey, Self.algorithm, sealed as CFData, &error) else {
            let reason = error.map { String(describing: $0.takeRetainedValue()) } ?? "unknown"
            throw KeyWrapperError.platform("SecKeyCreateEncryptedData: \(reason)")
        }
        return blob as Data
    }

    public func unwrap(_ blob: Data, aad: Data) throws -> Data {
        let key = try privateKey()
        var error: Unmanaged<CFError>?
        guard let opened = SecKeyCreateDecryptedData(key, Self.algorithm, blob as CFData, &error) as Data? else {
            let reason = error.map { String(describing: $0.takeRetainedValue()) } ?? "unknown"
            throw KeyWrapperError.corrupt("SecKeyCreateDecryptedData: \(reason)")
        }
        guard opened.count > aad.count, opened.prefix(aad.count) == aad else {
            throw KeyWrapperError.corrupt("the wrapped key is for something else")
        }
        return Data(opened.dropFirst(aad.count))
    }

    public func delete() throws {
        let status = SecItemDelete(baseQuery as CFDictionary)
        switch status {
        case errSecSuccess, errSecItemNotFound: return
        case errSecInteractionNotAllowed: throw KeyWrapperError.locked
        default: throw KeyWrapperError.platform("SecItemDelete \(status)")
        }
    }

    // MARK: the pending key of a rekey

    private var pendingQuery: [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: Self.pendingAccount,
            kSecUseDataProtectionKeychain as String: true,
        ]
    }

    public func readPending() throws -> Data? {
        let (status, item) = Self.copyOne(pendingQuery, returning: kSecReturnData)
        switch status {
        case errSecSuccess:
            guard let data = item as? Data else { throw KeyWrapperError.platform("the pending item holds no data") }
            return data
        case errSecItemNotFound:
            return nil
        case errSecInteractionNotAllowed:
            throw KeyWrapperError.locked
        default:
            throw KeyWrapperError.platform("SecItemCopyMatching (pending) \(status)")
        }
    }

    public func writePending(_ blob: Data) throws {
        try deletePending()
        var attributes = pendingQuery
        attributes[kSecValueData as String] = blob
        attributes[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        let status = SecItemAdd(attributes as CFDictionary, nil)
        switch status {
        case errSecSuccess: return
        case errSecInteractionNotAllowed: throw KeyWrapperError.locked
        default: throw KeyWrapperError.platform("SecItemAdd (pending) \(status)")
        }
    }

    public func deletePending() throws {
        let status = SecItemDelete(pendingQuery as CFDictionary)
        switch status {
        case errSecSuccess, errSecItemNotFound: return
        case errSecInteractionNotAllowed: throw KeyWrapperError.locked
        default: throw KeyWrapperError.platform("SecItemDelete (pending) \(status)")
        }
    }
}
