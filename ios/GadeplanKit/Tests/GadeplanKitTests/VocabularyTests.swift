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

    /// Bridge-building's words, which the core exports in `course` (no shell copies them):
    /// every case named by code, and in the enum's order.
    func testBridgeBuildingWordsComeFromTheCore() {
        let course = defs.course
        check(course.visitationKinds.map(\.code), Vocab.visitationKinds)
        check(course.visitationResults.map(\.code), Vocab.visitationResults)
        check(course.treatmentIntensities.map(\.code), Vocab.treatmentIntensities)
        check(course.contactIntensities.map(\.code), Vocab.contactIntensities)
        check(course.bridgeServices.map(\.code), Vocab.bridgeServices)
        check(course.bridgeStatuses.map(\.code), Vocab.bridgeStatuses)
        check(course.networkRoles.map(\.code), Vocab.networkRoles)
        check(course.consentForms.map(\.code), Vocab.consentForms)
        check(course.goalKinds.map(\.code), Vocab.goalKinds)
        check(course.goalReached.map(\.code), Vocab.goalReached)
        XCTAssertEqual(course.goalReached.map(\.code), Vocab.goalReached.map { code(of: $0) })
        XCTAssertEqual(course.treatmentIntensities.map(\.code), Vocab.treatmentIntensities.map { code(of: $0) })
        for labels in [course.visitationKinds, course.bridgeServices, course.networkRoles, course.goalKinds] {
            XCTAssertFalse(labels.contains { $0.da.isEmpty || $0.en.isEmpty })
        }
    }

    /// The coverage states the coverage screen shows, by code.
    func testCoverageStatesMatchTheCore() {
        check(defs.safety.coverageStates.map(\.code), Vocab.coverageStates)
    }
}
