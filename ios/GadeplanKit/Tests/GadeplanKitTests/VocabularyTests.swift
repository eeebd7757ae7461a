// Every label the core offers maps to exactly one enum case by its code, and every case has its
// label (I25): the screens never map by position.

import XCTest
import GadeplanCore
@testable import GadeplanKit

final class VocabularyTests: XCTestCase {
    private let defs = instrumentDefinitions()

    private func check<E>(_ codes: [String], _ all: [E], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(Set(codes), Set(all.map { code(of: $0) }), file: file, line: line)
        XCTAssertEqual(codes.count, all.count, file: file, line: line)
    }

    func testCaseNamesBecomeCodes() {
        XCTAssertEqual(code(of: PlaceKind.dropIn), "drop-in")
        XCTAssertEqual(code(of: Criterion.section101), "section-101")
        XCTAssertEqual(code(of: Decision.`in`), "in")
        XCTAssertEqual(value(forCode: "not-approached-risk", in: Vocab.outcomes), .notApproachedRisk)
        XCTAssertNil(value(forCode: "nonsense", in: Vocab.outcomes))
    }

    func testEveryVocabularyMatchesTheCore() {
        check(defs.placeKinds.map(\.code), Vocab.placeKinds)
        check(defs.contactKinds.map(\.code), Vocab.contactKinds)
        check(defs.meetingKinds.map(\.code), Vocab.meetingKinds)
        check(defs.outcomes.map(\.code), Vocab.outcomes)
        check(defs.broset.items.map(\.code), Vocab.brosetItems)
        check(defs.screening.criteria.map(\.code), Vocab.criteria)
        check(defs.screening.burdenAreas.map(\.code), Vocab.burdenAreas)
        check(defs.screening.decisions.map(\.code), Vocab.decisions)
        check(defs.screening.referralKinds.map(\.code), Vocab.referralKinds)
        check(defs.screening.answers.map(\.code), Vocab.answers)
        check(defs.stages.stages.map(\.code), Vocab.stages)
        check(defs.safety.checkinReasons.map(\.code), Vocab.checkinReasons)
        check(defs.safety.incidentKinds.map(\.code), Vocab.incidentKinds)
        check(defs.course.phases.map(\.code), Vocab.coursePhases)
        check(defs.course.foundVia.map(\.code), Vocab.foundVia)
        check(defs.course.attachmentTreatment.map(\.code), Vocab.attachmentTreatment)
        check(defs.course.attachmentSubstitution.map(\.code), Vocab.attachmentSubstitution)
        check(defs.course.attachmentServices.map(\.code), Vocab.attachmentServices)
        check(defs.course.closeReasons.map(\.code), Vocab.closeReasons)
        check(defs.course.treatmentStatuses.map(\.code), Vocab.treatmentStatuses)
        check(defs.safety.areaPriorities.map(\.code), Vocab.areaPriorities)
        check(defs.safety.visitRules.map(\.code), Vocab.visitRules)
        check(defs.safety.weekdays.map(\.code), Vocab.weekdays)
        check(defs.questionnaires.map { code(of: $0.instrument) }, Vocab.questionnaires)
        for definition in defs.questionnaires {
            check(definition.occasions.map(\.code), Vocab.occasions)
        }
    }

    /// The words copied from the core (TreatmentWords) name every case, by code.
    func testTreatmentWordsMatchTheEnums() {
        check(TreatmentWords.visitationKinds.map(\.code), Vocab.visitationKinds)
        check(TreatmentWords.visitationResults.map(\.code), Vocab.visitationResults)
        check(TreatmentWords.intensities.map(\.code), Vocab.intensities)
        check(TreatmentWords.bridgeServices.map(\.code), Vocab.bridgeServices)
        check(TreatmentWords.bridgeStatuses.map(\.code), Vocab.bridgeStatuses)
        check(TreatmentWords.networkRoles.map(\.code), Vocab.networkRoles)
        check(TreatmentWords.consentForms.map(\.code), Vocab.consentForms)
        check(TreatmentWords.goalKinds.map(\.code), Vocab.goalKinds)
        check(TreatmentWords.goalReached.map(\.code), Vocab.goalReached)
    }
}
