// The core's closed vocabularies by their codes, not by their position (review findings I25,
// A27). The core gives each picker's labels with their codes (`instrumentDefinitions()`: "drop-in",
// "not-approached-risk", "section-101"; bridge-building's words too, in `course`); uniffi gives
// the Swift enums, whose case names are the codes in camelCase. The shell keeps no word of its
// own for any of them. A screen shows the labels, keeps the chosen code (in a draft, too: I28), and
// turns it into the enum value here. The tests check every label's code against every case, so
// a vocabulary the core reorders or extends cannot silently record the wrong value.

import Foundation
import GadeplanCore

/// The code of an enum value from its case name: `.dropIn` → "drop-in", `.section101` →
/// "section-101", `` .`in` `` → "in".
public func code<E>(of value: E) -> String {
    var out = ""
    var previous: Character?
    for character in String(describing: value) {
        if character.isUppercase {
            out.append("-")
            out.append(contentsOf: character.lowercased())
        } else if character.isNumber, let previous, previous.isLetter {
            out.append("-")
            out.append(character)
        } else {
            out.append(character)
        }
        previous = character
    }
    return out
}

/// The value among `all` whose code is `code`.
public func value<E>(forCode code: String?, in all: [E]) -> E? {
    guard let code else { return nil }
    return all.first { GadeplanKit.code(of: $0) == code }
}

/// Every case of the vocabularies the screens offer (order does not matter: the core's labels
/// give the order).
public enum Vocab {
    public static let placeKinds: [PlaceKind] = [.street, .park, .dropIn, .warmingRoom, .shelter, .nightCafe,
        .consumptionRoom, .home, .hospital, .phone, .other, .education, .treatmentCentre, .gp, .authority]
    public static let contactKinds: [ContactKind] = [.observation, .briefContact, .conversation, .practicalHelp,
        .accompaniment, .referral, .aboutCitizen, .meeting]
    public static let meetingKinds: [MeetingKind] = [.visitationConference, .firstTreatmentMeeting, .partnerMeeting]
    public static let outcomes: [Outcome] = [.contactMade, .declined, .notApproachedRisk, .notFound, .noShow, .leftForSafety]
    public static let brosetItems: [BrosetItem] = [.confusion, .irritability, .boisterousness, .physicalThreats,
        .verbalThreats, .attacksOnObjects]
    public static let criteria: [Criterion] = [.section101, .drugUse, .limitedTreatmentUse, .multiSystemNeed, .burdenedSituation]
    public static let burdenAreas: [BurdenArea] = [.physicalHealth, .mentalHealth, .economy, .crime, .familySocial]
    public static let decisions: [Decision] = [.`in`, .outside, .undecided]
    public static let referralKinds: [ReferralKind] = [.guide, .refer, .handOver]
    public static let stages: [Stage] = [.precontemplation, .contemplation, .action, .relapse]
    public static let checkinReasons: [CheckinReason] = [.soloHomeVisit, .highRiskApproach, .other]
    public static let incidentKinds: [IncidentKind] = [.threat, .violenceAgainstPerson, .violenceAgainstObjects, .other]
    public static let coursePhases: [CoursePhase] = [.contact, .motivation, .bridging, .inTreatment]
    public static let answers: [CriterionAnswer] = [.met, .notMet, .unknown]
    public static let foundVia: [FoundVia] = [.ownOutreach, .knownCitizen, .supportContact, .civilSociety, .caseworker,
        .psychiatryHospital, .shelterDropIn, .other]
    public static let attachmentTreatment: [TreatmentAttachment] = [.unknownToSystem, .knownNoContact, .sporadic]
    public static let attachmentSubstitution: [SubstitutionAttachment] = [.never, .earlier, .current]
    public static let attachmentServices: [ServicesAttachment] = [.none, .earlier, .current]
    public static let closeReasons: [CloseReason] = [.treatment, .otherService, .goalReached, .citizenEnded, .lostContact,
        .moved, .died, .outsideTargetGroup, .other]
    public static let treatmentStatuses: [TreatmentStatus] = [.continuing, .completed, .droppedOut]
    public static let visitationKinds: [VisitationKind] = [.conference, .direct]
    public static let visitationResults: [VisitationResult] = [.admitted, .notAdmitted, .postponed]
    public static let treatmentIntensities: [TreatmentIntensity] = [.residential, .day, .ambulantDay, .ambulant, .adHoc]
    public static let contactIntensities: [ContactIntensity] = [.adHoc, .ambulant, .aboveAmbulant]
    public static let bridgeServices: [BridgeService] = [.gp, .psychiatry, .housingSupport, .supportContact, .caseworker, .other]
    public static let bridgeStatuses: [BridgeStatus] = [.contacted, .stableContact, .dropped]
    public static let networkRoles: [NetworkRole] = [.housingSupport, .supportContact, .caseworker, .gp, .psychiatry,
        .relative, .civilSociety, .other]
    public static let consentForms: [ConsentForm] = [.verbal, .written]
    public static let goalKinds: [GoalKind] = [.abstinence, .reduction, .stabilisation]
    public static let goalReached: [GoalReached] = [.notAtAll, .toSomeDegree, .yes, .yesMore, .yesMuchMore, .noLongerRelevant]
    public static let questionnaires: [Questionnaire] = [.motivation, .drugSituation, .physicalHealth, .mentalHealth]
    public static let occasions: [Occasion] = [.baseline, .followUp]
    public static let areaPriorities: [AreaPriority] = [.high, .normal, .low]
    public static let visitRules: [VisitRule] = [.`open`, .announcedOnly, .onlyWhenCalled]
    public static let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday, .sunday]
    public static let coverageStates: [CoverageState] = [.uncovered, .planned, .covered]
}
