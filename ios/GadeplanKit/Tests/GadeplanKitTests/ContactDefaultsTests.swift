import GadeplanCore
@testable import GadeplanKit
import XCTest

final class ContactDefaultsTests: XCTestCase {
    private func fresh() -> (ContactDefaults, UserDefaults) {
        let name = "ContactDefaultsTests.\(UUID().uuidString)"
        let defaults = UserDefaults(suiteName: name)!
        defaults.removePersistentDomain(forName: name)
        return (ContactDefaults(defaults: defaults), defaults)
    }

    func testNothingBeforeTheFirstContact() {
        let (contact, _) = fresh()
        XCTAssertEqual(contact.last(), ContactChoices())
    }

    func testRemembersTheLastChoicesAndForgetsThemAtSignOut() {
        let (contact, _) = fresh()
        let choices = ContactChoices(placeKind: "park", kind: "brief-contact", outcome: "declined")
        contact.remember(choices)
        XCTAssertEqual(contact.last(), choices)
        contact.clear()
        XCTAssertEqual(contact.last(), ContactChoices())
    }

    func testNoOutcomePreselectedAfterAHighCheck() {
        let last = ContactChoices(placeKind: "street", kind: "conversation", outcome: "contact-made")
        XCTAssertEqual(ContactDefaults.preselected(last: last, band: .high),
                       ContactChoices(placeKind: "street", kind: "conversation", outcome: ""))
        XCTAssertEqual(ContactDefaults.preselected(last: last, band: .moderate), last)
        XCTAssertEqual(ContactDefaults.preselected(last: last, band: nil), last)
    }

    func testTheRememberedCodesAreTheCoresCodes() {
        // A code remembered is one the screen can turn back into the core's value.
        XCTAssertNotNil(value(forCode: "contact-made", in: Vocab.outcomes))
        XCTAssertNotNil(value(forCode: "not-approached-risk", in: Vocab.outcomes))
        XCTAssertNotNil(value(forCode: "conversation", in: Vocab.contactKinds))
        XCTAssertNotNil(value(forCode: "street", in: Vocab.placeKinds))
    }
}
