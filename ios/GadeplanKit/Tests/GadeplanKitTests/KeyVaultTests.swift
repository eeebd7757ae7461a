// The key vault with a wrapping key in memory: a first start, a key that survives, and every way
// of losing it, which must say `lost` and never make a new key over an existing store (I6, A8).

import XCTest
@testable import GadeplanKit

final class KeyVaultTests: XCTestCase {
    private var dir: URL!
    private var wrapper: MemoryWrapper!
    private var storeExists = false

    override func setUpWithError() throws {
        dir = try temporaryDirectory()
        wrapper = MemoryWrapper()
        storeExists = false
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    private func vault() -> KeyVault {
        KeyVault(directory: dir, wrapper: wrapper, storeExists: { [unowned self] in self.storeExists })
    }

    func testFirstStartIsMissingAndCreatesNothing() throws {
        XCTAssertEqual(vault().load(), .missing)
        XCTAssertEqual(wrapper.creations, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent(KeyVault.fileName).path))
    }

    func testCreatedKeyLoadsAgain() throws {
        let key = try vault().create()
        XCTAssertEqual(key.count, 32)
        XCTAssertEqual(vault().load(), .found(key))
    }

    func testLostWrappingKeyIsLostNeverANewKey() throws {
        _ = try vault().create()
        storeExists = true
        wrapper.key = nil
        guard case .lost = vault().load() else { return XCTFail("expected lost") }
        XCTAssertEqual(wrapper.creations, 1, "load must never create a wrapping key")
        XCTAssertNil(wrapper.key)
    }

    func testOtherWrappingKeyIsLost() throws {
        _ = try vault().create()
        wrapper.key = wrapper.key! &+ 1
        guard case .lost = vault().load() else { return XCTFail("expected lost") }
    }

    func testStoreWithoutKeyFileIsLost() throws {
        storeExists = true
        guard case .lost = vault().load() else { return XCTFail("expected lost") }
        XCTAssertEqual(wrapper.creations, 0)
    }

    func testLockedKeychainIsLockedNotLost() throws {
        let key = try vault().create()
        wrapper.locked = true
        XCTAssertEqual(vault().load(), .locked)
        wrapper.locked = false
        XCTAssertEqual(vault().load(), .found(key))
    }

    func testDamagedFileIsLost() throws {
        _ = try vault().create()
        try Data([9, 9, 9]).write(to: dir.appendingPathComponent(KeyVault.fileName))
        guard case .lost = vault().load() else { return XCTFail("expected lost") }
    }

    func testEraseRemovesFileAndWrappingKey() throws {
        _ = try vault().create()
        try vault().erase()
        XCTAssertNil(wrapper.key)
        XCTAssertEqual(vault().load(), .missing)
    }

    // MARK: the pending key of a rekey (docs/keys.md)

    func testPendingKeyBesideTheCurrentOneThenPromoted() throws {
        let current = try vault().create()
        XCTAssertNil(vault().loadPending())
        let new = try vault().beginPending()
        XCTAssertNotEqual(new, current)
        XCTAssertEqual(vault().loadPending(), LoadedKey.found(new))
        XCTAssertEqual(vault().load(), .found(current), "the current key stays until the promotion")
        try vault().writePendingAsCurrent()
        XCTAssertEqual(vault().load(), .found(new))
        XCTAssertEqual(vault().loadPending(), LoadedKey.found(new), "the pending key stays until deleted")
        try vault().discardPending()
        XCTAssertNil(vault().loadPending())
        XCTAssertEqual(vault().load(), .found(new))
    }

    func testDiscardedPendingKeyLeavesTheCurrentOne() throws {
        let current = try vault().create()
        _ = try vault().beginPending()
        try vault().discardPending()
        XCTAssertNil(wrapper.pending)
        XCTAssertEqual(vault().load(), .found(current))
    }

    func testLockedPendingIsLockedAndEraseTakesThePendingKeyToo() throws {
        _ = try vault().create()
        _ = try vault().beginPending()
        wrapper.locked = true
        XCTAssertEqual(vault().loadPending(), LoadedKey.locked)
        wrapper.locked = false
        try vault().erase()
        XCTAssertNil(wrapper.pending)
        XCTAssertNil(vault().loadPending())
    }
}
