// Rekeying the phone's store as docs/keys.md says a shell must ("How a shell keeps the old and
// the new key"), with the wrapping key and the pending item in memory and a real store: a whole
// rekey; a refusal that deletes the pending key; and the phone dying at each moment the doc names
// (after the pending key is saved; after the store is rekeyed, before the promotion; after the
// promotion, before the pending key is deleted). After each, a new PhoneStore over the same
// directory and Keychain (the app started again) must open the store, with what it held, and
// leave no pending key behind. No centre is needed.

import Foundation
import GadeplanCore
import XCTest
@testable import GadeplanKit

final class RekeyTests: XCTestCase {
    private struct Died: Error {}

    private var dir: URL!
    private var wrapper: MemoryWrapper!

    override func setUpWithError() throws {
        dir = try temporaryDirectory()
        wrapper = MemoryWrapper()
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    /// The app as it starts: a PhoneStore over the one directory and the one Keychain.
    private func startApp() -> PhoneStore {
        PhoneStore(directory: dir, wrapper: wrapper, deviceName: "Test iPhone", language: .english)
    }

    /// A store with one person in it, made and closed again; returns the person's id.
    private func makeStore(_ phone: PhoneStore) throws -> String {
        XCTAssertEqual(phone.route(), .enrol(storeExists: false))
        let key = try phone.vault.create()
        let store = try Store.create(path: phone.path, key: key, worker: "Aisha", deviceName: "Test iPhone")
        return try store.addPerson(input: NewPerson(alias: "Kaffe-Karl", description: nil, birthYear: nil,
                                                    fromUnknown: nil, occurredAt: nil)).person
    }

    private func currentKey(_ phone: PhoneStore) throws -> Data {
        guard case let .found(key) = phone.vault.load() else {
            XCTFail("no current key")
            throw Died()
        }
        return key
    }

    /// The app started again after a death: the store opens, holds the person, and no pending
    /// key is left. Returns the key it is under now.
    @discardableResult
    private func restartOpens(_ person: String, file: StaticString = #filePath, line: UInt = #line) throws -> Data {
        let phone = startApp()
        XCTAssertEqual(phone.route(), .enrol(storeExists: true), file: file, line: line)
        let store = try XCTUnwrap(phone.store(), "the store did not open", file: file, line: line)
        XCTAssertEqual(try store.person(id: person).person.alias, "Kaffe-Karl", file: file, line: line)
        XCTAssertNil(phone.vault.loadPending(), "a pending key was left", file: file, line: line)
        XCTAssertNil(wrapper.pending, file: file, line: line)
        return try currentKey(phone)
    }

    /// A rekey on a phone whose store is open, stopped (the phone "dies") after `step`.
    private func rekeyDying(after step: RekeyStep) throws -> (person: String, old: Data, new: Data?) {
        var phone: PhoneStore? = startApp()
        let person = try makeStore(phone!)
        XCTAssertEqual(phone!.route(), .enrol(storeExists: true))
        let old = try currentKey(phone!)
        var pendingKey: Data?
        XCTAssertThrowsError(try phone!.rekey(stoppingAfter: { reached in
            if case let .found(key)? = phone!.vault.loadPending() { pendingKey = key }
            if reached == step { throw Died() }
        })) { error in XCTAssertTrue(error is Died, "\(error)") }
        phone = nil // the process is gone: its store closes with it
        return (person, old, pendingKey)
    }

    func testRekeyChangesTheKeyAndOnlyTheNewOneOpens() throws {
        let phone = startApp()
        let person = try makeStore(phone)
        XCTAssertEqual(phone.route(), .enrol(storeExists: true))
        let old = try currentKey(phone)
        try phone.rekey()
        let new = try currentKey(phone)
        XCTAssertNotEqual(old, new)
        XCTAssertNil(wrapper.pending)
        // The open store goes on working under the new key.
        XCTAssertEqual(try XCTUnwrap(phone.store()).person(id: person).person.alias, "Kaffe-Karl")
        XCTAssertThrowsError(try Store.open(path: phone.path, key: old))
        XCTAssertEqual(try restartOpens(person), new)
    }

    func testRefusedRekeyDeletesThePendingKeyAndChangesNothing() throws {
        let phone = startApp()
        let person = try makeStore(phone)
        XCTAssertEqual(phone.route(), .enrol(storeExists: true))
        let old = try currentKey(phone)
        // Something else holds the store open: the core refuses (not-allowed), nothing changed.
        let other = try Store.open(path: phone.path, key: old)
        withExtendedLifetime(other) {
            XCTAssertThrowsError(try phone.rekey()) { error in
                guard let core = error as? GadeplanError else { return XCTFail("\(error)") }
                XCTAssertTrue(PhoneStore.leftUnchanged(core), "\(core)")
            }
        }
        XCTAssertNil(wrapper.pending, "step 5: the pending key is deleted")
        XCTAssertEqual(try currentKey(phone), old)
        XCTAssertEqual(try restartOpens(person), old)
    }

    func testDyingAfterThePendingKeyIsSavedKeepsTheOldKey() throws {
        let (person, old, new) = try rekeyDying(after: .pendingSaved)
        XCTAssertNotNil(new)
        XCTAssertNotNil(wrapper.pending, "the pending key was saved before the death")
        // The store was never rekeyed: the current key opens it, and the pending one goes.
        XCTAssertEqual(try restartOpens(person), old)
    }

    func testDyingAfterTheStoreIsRekeyedPromotesThePendingKey() throws {
        let (person, old, new) = try rekeyDying(after: .storeRekeyed)
        XCTAssertNotNil(wrapper.pending)
        // The store is under the new key, the key file still holds the old one: opening tries
        // the current key, is refused, opens with the pending one and promotes it.
        let now = try restartOpens(person)
        XCTAssertEqual(now, new)
        XCTAssertNotEqual(now, old)
    }

    func testDyingAfterThePromotionBeforeThePendingDeleteOpensWithTheNewKey() throws {
        let (person, old, new) = try rekeyDying(after: .promoted)
        XCTAssertNotNil(wrapper.pending, "the pending key was not deleted yet")
        // The current key (the new one) opens the store; the pending copy of it goes.
        let now = try restartOpens(person)
        XCTAssertEqual(now, new)
        XCTAssertNotEqual(now, old)
    }

    func testAPendingKeyIsNeverDeletedBeforeTheStoreOpened() throws {
        // The store rekeyed, the phone died, and the wrapping key cannot open the pending item
        // (damaged): the current key does not open the store, so nothing is deleted.
        _ = try rekeyDying(after: .storeRekeyed)
        wrapper.pending = Data([9, 9, 9])
        let phone = startApp()
        guard case .keyLost = phone.route() else { return XCTFail("expected key lost") }
        XCTAssertEqual(wrapper.pending, Data([9, 9, 9]), "the pending item is kept")
        XCTAssertNotNil(try? currentKey(phone), "the current key is kept")
    }
}
