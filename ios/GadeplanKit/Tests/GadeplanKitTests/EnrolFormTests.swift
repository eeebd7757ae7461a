// The enrolment form's address check and the enrolment link (QR code or gadeplan:// link).

import XCTest
@testable import GadeplanKit

final class EnrolFormTests: XCTestCase {
    func testHttpsIsFine() {
        XCTAssertNil(checkCentreAddress("https://centre.kommune.dk", language: .danish))
        XCTAssertNil(checkCentreAddress("  https://centre.kommune.dk:8470/gadeplan ", language: .danish))
    }

    func testHttpOnlyToThePhoneItself() {
        XCTAssertNil(checkCentreAddress("http://127.0.0.1:8470", language: .english))
        XCTAssertNil(checkCentreAddress("http://localhost:8470", language: .english))
        XCTAssertNotNil(checkCentreAddress("http://centre.kommune.dk", language: .english))
    }

    func testNonsenseIsRefused() {
        XCTAssertNotNil(checkCentreAddress("", language: .danish))
        XCTAssertNotNil(checkCentreAddress("centre.kommune.dk", language: .danish))
        XCTAssertNotNil(checkCentreAddress("ftp://centre.kommune.dk", language: .danish))
    }

    func testEnrolLinkIsRead() {
        let link = enrolLinkFrom("gadeplan://enrol?centre=https%3A%2F%2Fcentre.kommune.dk%3A8470%2Fgadeplan&code=K7QD-3MXF-A9")
        XCTAssertEqual(link?.centre, "https://centre.kommune.dk:8470/gadeplan")
        XCTAssertEqual(link?.code, "K7QD-3MXF-A9")
    }

    func testOtherTextIsNoLink() {
        XCTAssertNil(enrolLinkFrom("https://centre.kommune.dk"))
        XCTAssertNil(enrolLinkFrom("gadeplan://enrol?centre=https%3A%2F%2Fc.dk"))
    }
}
