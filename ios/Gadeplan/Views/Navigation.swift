// Where the screens lead, as values (review finding I22): one navigation path held by the home
// screen, so a saved Brøset check pushes its contact programmatically and a saved contact returns
// to where the approach began (the person, or the list), not to the filled-in check. `DestLink`
// is the menus' row (the home screen's, the person's): a title and its symbol, opening a `Dest`.

import GadeplanCore
import SwiftUI

enum Dest: Hashable {
    case person(String)
    /// A Brøset check: of a person, a known unknown citizen, or (nil) a new unknown citizen.
    case riskCheck(GadeplanCore.Subject?)
    /// A contact: with a person (or, with `riskCheck`, whom that check was about).
    case contact(person: String?, riskCheck: String?)
    case screening(String)
    case stage(String)
    case checkin(person: String?)
    case incident(person: String?)
    case entry(String)
    /// The person's course: open, phase, close.
    case course(String)
    /// Treatment steps of bridge-building: wish (the guarantee), visitation, start, handover.
    case treatment(String)
    /// Bridging to other services.
    case bridge(String)
    /// The initial treatment plan with the crisis plan.
    case plan(String)
    /// The plan's evaluation and the cooperation.
    case evaluation(String)
    case network(String)
    /// Consents given and withdrawn, disclosures under them.
    case consents(String)
    /// A questionnaire (instrument and occasion by code; nil: chosen on the screen, or the core's).
    case questionnaire(person: String, instrument: String?, occasion: String?)
    /// A person's nickname, description and birth year.
    case editPerson(String)
    /// A new area, place or round of the team's register ("area", "place", "round").
    case register(String)
    case today
    case unknowns
    case places
    case settings
    /// A citizen whose history is held at the centre: searched and fetched back, online.
    case centreSearch
    /// The team's caseload, the areas' coverage, those waiting for treatment (read only).
    case caseload
    case coverage
    case waiting

    /// Part of an approach (check, then contact), undone as one when the contact is saved.
    var isApproach: Bool {
        switch self {
        case .riskCheck, .contact: return true
        default: return false
        }
    }
}

@MainActor
final class Navigator: ObservableObject {
    @Published var path: [Dest] = []

    /// Back to the screen the approach started from.
    func finishApproach() {
        while let last = path.last, last.isApproach { path.removeLast() }
    }

    /// Back by one screen.
    func back() {
        if !path.isEmpty { path.removeLast() }
    }
}

extension View {
    /// Every destination of the app, for the home screen's NavigationStack. Main-actor isolated
    /// like the screens it makes (their initialisers set up main-actor `@StateObject`s).
    @MainActor func gadeplanDestinations() -> some View {
        navigationDestination(for: Dest.self) { dest in
            switch dest {
            case let .person(id): PersonScreen(personId: id)
            case let .riskCheck(subject): RiskCheckScreen(subject: subject)
            case let .contact(person, riskCheck): ContactScreen(personId: person, riskCheck: riskCheck)
            case let .screening(id): ScreeningScreen(personId: id)
            case let .stage(id): StageScreen(personId: id)
            case let .checkin(person): CheckinScreen(personId: person)
            case let .incident(person): IncidentScreen(personId: person)
            case let .entry(id): EntryScreen(entryId: id)
            case let .course(id): CourseScreen(personId: id)
            case let .treatment(id): TreatmentScreen(personId: id)
            case let .bridge(id): BridgeScreen(personId: id)
            case let .plan(id): PlanScreen(personId: id)
            case let .evaluation(id): EvaluationScreen(personId: id)
            case let .network(id): NetworkScreen(personId: id)
            case let .consents(id): ConsentScreen(personId: id)
            case let .questionnaire(person, instrument, occasion):
                QuestionnaireScreen(personId: person, instrument: instrument, occasion: occasion)
            case let .editPerson(id): PersonEditScreen(personId: id)
            case let .register(kind): RegisterScreen(kind: kind)
            case .today: TodayScreen()
            case .unknowns: UnknownCitizensScreen()
            case .places: PlacesScreen()
            case .settings: SettingsScreen()
            case .centreSearch: CentreSearchScreen()
            case .caseload: CaseloadScreen()
            case .coverage: CoverageScreen()
            case .waiting: WaitingScreen()
            }
        }
    }
}

/// A menu row that opens `dest`: its title beside an SF Symbol.
struct DestLink: View {
    let dest: Dest
    let title: String
    let systemImage: String

    init(_ dest: Dest, _ title: String, systemImage: String) {
        self.dest = dest
        self.title = title
        self.systemImage = systemImage
    }

    var body: some View {
        NavigationLink(value: dest) {
            SwiftUI.Label(title, systemImage: systemImage)
        }
    }
}
