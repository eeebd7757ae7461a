// PhoneStore's routing, the transport and the sync coordinator against a real gadeplan-centre on
// loopback (GADEPLAN_CENTRE=<path to the binary>; skipped without it): first start, a failed
// enrolment that stays at enrolment (I9), enrolment, a record synced, a revocation that routes to
// the explanation (I12, M5), and the wipe back to enrolment (M4). Also a lost key over an
// existing store (I6).

// macOS only: it runs the centre as a child process (Process, Pipe), which iOS does not have.
#if os(macOS)
import Foundation
import GadeplanCore
import XCTest
@testable import GadeplanKit

final class CentreIntegrationTests: XCTestCase {
    private var dir: URL!
    private var server: Process?

    override func setUpWithError() throws {
        dir = try temporaryDirectory()
    }

    override func tearDownWithError() throws {
        if let server, server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dir)
    }

    private func centreBinary() throws -> String {
        guard let path = ProcessInfo.processInfo.environment["GADEPLAN_CENTRE"], !path.isEmpty else {
            throw XCTSkip("set GADEPLAN_CENTRE to the gadeplan-centre binary (cargo build -p gadeplan-centre)")
        }
        return path
    }

    /// Runs one operator command of the centre and returns what it printed.
    @discardableResult
    private func operate(_ binary: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--data", dir.appendingPathComponent("centre").path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 0, text)
        return text
    }

    private func match(_ pattern: String, in text: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let found = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
              let range = Range(found.range(at: 1), in: text) else { return nil }
        return String(text[range])
    }

    /// Starts `serve` on a free loopback port and returns its address.
    private func serve(_ binary: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--data", dir.appendingPathComponent("centre").path, "serve", "--listen", "127.0.0.1:0"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        server = process
        var seen = Data()
        while !seen.contains(UInt8(ascii: "\n")) {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        let line = String(decoding: seen, as: UTF8.self)
        return try XCTUnwrap(match("\"serving\":\"([^\"]+)\"", in: line), line)
    }

    private func makePhone(_ wrapper: MemoryWrapper) -> PhoneStore {
        PhoneStore(directory: dir.appendingPathComponent("phone"), wrapper: wrapper,
                   deviceName: "Test iPhone", language: .english)
    }

    func testEnrolSyncRevokeAndWipe() throws {
        let binary = try centreBinary()
        try operate(binary, ["team", "add", "Vesterbro"])
        let enrolled = try operate(binary, ["enrol", "--team", "Vesterbro", "--worker", "Mette"])
        let code = try XCTUnwrap(match("\"code\": \"([^\"]+)\"", in: enrolled), enrolled)
        let url = try serve(binary)

        let wrapper = MemoryWrapper()
        let phone = makePhone(wrapper)
        XCTAssertEqual(phone.route(), .enrol(storeExists: false))

        // A mistyped code: the phone stays at enrolment, with the store made and unenrolled.
        XCTAssertThrowsError(try phone.enrol(centre: url, code: "WRONG-CODE", worker: "Mette",
                                             transport: URLSessionTransport(centre: url, version: "test")))
        XCTAssertEqual(phone.route(), .enrol(storeExists: true))

        // The QR code's link, read as the app reads it.
        let link = try XCTUnwrap(enrolLinkFrom("gadeplan://enrol?centre="
            + url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)! + "&code=" + code))
        let route = try phone.enrol(centre: link.centre, code: link.code, worker: "Mette",
                                    transport: URLSessionTransport(centre: link.centre, version: "test"))
        XCTAssertEqual(route, .main(worker: "Mette", team: "Vesterbro", centre: url))

        let store = try XCTUnwrap(phone.store())
        _ = try store.addPerson(input: NewPerson(alias: "Kaffe-Karl", description: nil, birthYear: nil,
                                                 fromUnknown: nil, occurredAt: nil))
        XCTAssertGreaterThan(phone.unsent() ?? 0, 0)

        let log = MemoryLog()
        let notifier = RecordingNotifier()
        let coordinator = SyncCoordinator(phone: phone, transportFor: { URLSessionTransport(centre: $0, version: "test") },
                                          log: log, notifier: notifier, language: .danish)
        guard case .done = coordinator.syncOnce() else { return XCTFail("the sync did not get through") }
        XCTAssertEqual(phone.unsent(), 0)
        XCTAssertNotNil(log.last()?.successAt)
        XCTAssertNil(log.last()?.problem)

        // The centre revokes the phone as lost: the next sync erases it and routes to the
        // explanation, and the worker is told.
        let device = try store.identity().deviceId
        try operate(binary, ["revoke", device, "--lost", "--yes"])
        XCTAssertEqual(coordinator.syncOnce(), .stop(.revoked))
        XCTAssertEqual(notifier.revocations, 1)
        guard case .revoked = phone.route() else { return XCTFail("expected the revoked route") }

        // The wipe: back to a first start, the wrapping key gone with the store.
        try phone.wipe()
        XCTAssertEqual(phone.route(), .enrol(storeExists: false))
        XCTAssertNil(wrapper.key)
    }

    func testUnreachableCentreIsRetried() throws {
        let binary = try centreBinary()
        try operate(binary, ["team", "add", "Vesterbro"])
        let enrolled = try operate(binary, ["enrol", "--team", "Vesterbro", "--worker", "Jonas"])
        let code = try XCTUnwrap(match("\"code\": \"([^\"]+)\"", in: enrolled), enrolled)
        let url = try serve(binary)
        let phone = makePhone(MemoryWrapper())
        _ = phone.route()
        _ = try phone.enrol(centre: url, code: code, worker: "Jonas",
                            transport: URLSessionTransport(centre: url, version: "test"))
        server?.terminate()
        server?.waitUntilExit()
        let coordinator = SyncCoordinator(phone: phone, transportFor: { URLSessionTransport(centre: $0, version: "test") },
                                          log: MemoryLog(), notifier: RecordingNotifier(), language: .english)
        XCTAssertEqual(coordinator.syncOnce(), .retry(.offline))
    }

    func testLostKeyOverAStoreIsKeyLostNeverANewStore() throws {
        let wrapper = MemoryWrapper()
        let phone = makePhone(wrapper)
        _ = phone.route()
        let key = try phone.vault.create()
        _ = try Store.create(path: phone.path, key: key, worker: "Aisha", deviceName: "Test iPhone")
        XCTAssertEqual(phone.route(), .enrol(storeExists: true))

        wrapper.key = nil // the Keychain item is gone (a restore to another phone, a reset)
        guard case .keyLost = phone.route() else { return XCTFail("expected key lost") }
        XCTAssertEqual(wrapper.creations, 1, "no new key over an existing store")
        XCTAssertThrowsError(try phone.enrol(centre: "https://c.example", code: "X", worker: "Aisha",
                                             transport: URLSessionTransport(centre: "https://c.example", version: "test")))

        try phone.wipe()
        XCTAssertEqual(phone.route(), .enrol(storeExists: false))
    }
}
#endif
