// Errors in the worker's language (the core words its own), and which sync problem each is.

import XCTest
import GadeplanCore
@testable import GadeplanKit

final class ErrorTextTests: XCTestCase {
    func testVariantAndMessageByReflection() {
        let (variant, message) = variantAndMessage(.PlanRequired(message: "a high risk score (4) needs a plan"))
        XCTAssertEqual(variant, "PlanRequired")
        XCTAssertEqual(message, "a high risk score (4) needs a plan")
    }

    func testDanishFromTheCore() {
        let text = describe(GadeplanError.PlanRequired(message: "a high risk score (4) needs a plan"), language: .danish)
        XCTAssertTrue(text.hasPrefix("Høj risiko"), text)
        let english = describe(GadeplanError.PlanRequired(message: "a high risk score (4) needs a plan"), language: .english)
        XCTAssertEqual(english, "a high risk score (4) needs a plan")
    }

    func testDetailKeptAfterDanishSentence() {
        let text = describe(GadeplanError.InvalidInput(message: "invalid alias: must not be empty"), language: .danish)
        XCTAssertEqual(text, "Et felt er ikke udfyldt rigtigt: alias: must not be empty")
    }

    func testLocalizedDescriptionIsTheCoresWords() {
        let error = GadeplanError.PlanRequired(message: "a high risk score (4) needs a plan")
        XCTAssertEqual((error as Error).localizedDescription, describe(error, language: phoneLanguage()))
    }

    func testVaultErrorsAreWorded() {
        XCTAssertTrue(describe(KeyWrapperError.locked, language: .english).contains("Unlock"))
    }

    func testSyncProblems() {
        XCTAssertEqual(SyncCoordinator.problem(of: GadeplanError.Revoked(message: "x")), .revoked)
        XCTAssertEqual(SyncCoordinator.problem(of: GadeplanError.CentreRefused(message: "x")), .centreRefused)
        XCTAssertEqual(SyncCoordinator.problem(of: GadeplanError.StoreTooNew(message: "x")), .storeTooNew)
        XCTAssertEqual(SyncCoordinator.problem(of: GadeplanError.Unreachable(
            message: "the centre could not be reached: timeout: The request timed out.")), .timeout)
        XCTAssertEqual(SyncCoordinator.problem(of: GadeplanError.Unreachable(
            message: "the centre could not be reached: tls: bad certificate")), .tls)
        XCTAssertEqual(SyncCoordinator.problem(of: TransportError.Unreachable(detail: "host-not-found: x")), .hostNotFound)
        XCTAssertEqual(SyncCoordinator.problem(of: GadeplanError.Unreachable(message: "cut off")), .offline)
        XCTAssertTrue(SyncProblem.offline.retryable)
        XCTAssertFalse(SyncProblem.tls.retryable)
        XCTAssertFalse(SyncProblem.httpNotAllowed.retryable)
        XCTAssertFalse(SyncProblem.revoked.retryable)
    }

    /// The core advises (`syncAdvice`); only the transport's TLS and http codes are the shell's.
    func testSyncAdvice() {
        XCTAssertEqual(SyncCoordinator.advice(of: GadeplanError.Unreachable(
            message: "the centre could not be reached: tls: bad certificate")), .stop(tell: true))
        XCTAssertEqual(SyncCoordinator.advice(of: GadeplanError.Unreachable(
            message: "the centre could not be reached: http-not-allowed: http://c")), .stop(tell: true))
        XCTAssertEqual(SyncCoordinator.advice(of: GadeplanError.Unreachable(
            message: "the centre could not be reached: timeout: x")), .retry(tell: false))
        XCTAssertEqual(SyncCoordinator.advice(of: GadeplanError.CentreRefused(
            message: "the centre refused: too much for now (quota-exceeded)")), .retry(tell: false))
        XCTAssertEqual(SyncCoordinator.advice(of: GadeplanError.CentreRefused(
            message: "the centre refused: no such token (unknown-token)")), .stop(tell: true))
        XCTAssertEqual(SyncCoordinator.advice(of: GadeplanError.Revoked(message: "x")), .stop(tell: false))
        XCTAssertEqual(SyncCoordinator.advice(of: TransportError.Unreachable(detail: "offline: x")), .retry(tell: false))
        XCTAssertEqual(SyncCoordinator.advice(of: KeyWrapperError.locked), .retry(tell: false))
        XCTAssertEqual(SyncCoordinator.advice(of: KeyWrapperError.missing), .stop(tell: true))
    }

    func testTransportProblemCodes() {
        XCTAssertTrue(URLSessionTransport.problem(URLError(.timedOut)).hasPrefix("timeout: "))
        XCTAssertTrue(URLSessionTransport.problem(URLError(.cannotFindHost)).hasPrefix("host-not-found: "))
        XCTAssertTrue(URLSessionTransport.problem(URLError(.serverCertificateUntrusted)).hasPrefix("tls: "))
        XCTAssertTrue(URLSessionTransport.problem(URLError(.notConnectedToInternet)).hasPrefix("offline: "))
    }

    func testLanguageFromThePhone() {
        XCTAssertEqual(phoneLanguage(["da-DK", "en-US"]), .danish)
        XCTAssertEqual(phoneLanguage(["en-GB", "da-DK"]), .english)
        XCTAssertEqual(phoneLanguage(["de-DE"]), .danish)
    }
}
