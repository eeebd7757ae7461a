// The typed corrections, one small form per kind the core lets be corrected (its `Correction`:
// contacts, Brøset checks, screenings, stages of change, course openings, network members,
// areas, places and rounds; every other kind is voided and recorded again). Each form starts
// from what the record says now and sends only what the worker changed: a text emptied clears
// an optional field, a picker set to "–" clears an optional choice. No form writes JSON; the
// core checks the corrected record against its kind's rules (a high check keeps its plan).
// Every kind shares one scaffold (`CorrectionFormScaffold`: the record as it was, the draft in
// the view's state, the section and "Gem rettelsen"); a kind only says, in its `CorrectionDraft`,
// how its draft starts, what it changed and which fields it draws.

import GadeplanCore
import GadeplanKit
import SwiftUI

/// The new text when it differs from `was` (nil when unchanged or blank).
private func changed(_ text: String, _ was: String?) -> String? {
    let now = trimmed(text)
    return now != was ? now : nil
}

/// Whether an optional text was emptied.
private func emptied(_ text: String, _ was: String?) -> Bool {
    trimmed(text) == nil && was != nil
}

/// The new choice when it differs from `was`.
private func changed<E: Equatable>(_ code: String, _ was: E?, in all: [E]) -> E? {
    let now = value(forCode: code, in: all)
    return now != was ? now : nil
}

/// Whether an optional choice was set to "–".
private func unchosen<E>(_ code: String, _ was: E?) -> Bool {
    code.isEmpty && was != nil
}

private func codeOrEmpty<E>(_ value: E?) -> String {
    value.map { code(of: $0) } ?? ""
}

/// A number typed, or nil.
private func number(_ text: String) -> UInt32? {
    UInt32(text.trimmingCharacters(in: .whitespaces))
}

/// The form for `item`'s kind, or nothing when the kind is not corrected (only voided).
struct CorrectionForm: View {
    let item: TimelineItem
    /// Off while the reason is missing or a save is under way.
    let enabled: Bool
    let submit: (Correction) -> Void

    var body: some View {
        switch item.content {
        case let .contactLogged(c): CorrectionFormScaffold<ContactCorrectionDraft>(was: c, enabled: enabled, submit: submit)
        case let .riskChecked(c): CorrectionFormScaffold<RiskCheckCorrectionDraft>(was: c, enabled: enabled, submit: submit)
        case let .screeningRecorded(c): CorrectionFormScaffold<ScreeningCorrectionDraft>(was: c, enabled: enabled, submit: submit)
        case let .stageAssessed(c): CorrectionFormScaffold<StageCorrectionDraft>(was: c, enabled: enabled, submit: submit)
        case let .courseOpened(c): CorrectionFormScaffold<CourseCorrectionDraft>(was: c, enabled: enabled, submit: submit)
        case let .networkNoted(c): CorrectionFormScaffold<NetworkCorrectionDraft>(was: c, enabled: enabled, submit: submit)
        case let .areaNoted(c): CorrectionFormScaffold<AreaCorrectionDraft>(was: c, enabled: enabled, submit: submit)
        case let .placeNoted(c): CorrectionFormScaffold<PlaceCorrectionDraft>(was: c, enabled: enabled, submit: submit)
        case let .roundPlanned(c): CorrectionFormScaffold<RoundCorrectionDraft>(was: c, enabled: enabled, submit: submit)
        default: EmptyView()
        }
    }
}

/// One kind's correction as the worker types it: how it starts from the record, what it changed,
/// whether the fields the record cannot lose are filled, and the fields themselves.
protocol CorrectionDraft {
    /// The record's content as it is now (`ContactLoggedContent`, …).
    associatedtype Content
    /// The core's correction of the kind (`ContactCorrection`, …).
    associatedtype Change: Equatable
    associatedtype Fields: View

    /// The section's title: "Ret kontakten".
    static var title: String { get }
    /// The correction that changes nothing: the button is off while the draft says this.
    static var unchanged: Change { get }
    /// The change as the core's `Correction` of this kind.
    static func correction(_ change: Change) -> Correction
    /// The fields, drawn over the draft in the form's state.
    @ViewBuilder static func fields(_ draft: Binding<Self>) -> Fields

    init(was: Content)
    /// Only what the worker changed against `was`.
    func change(from was: Content) -> Change
    /// Whether the fields the record cannot lose (a name, a place) are filled.
    var complete: Bool { get }
}

extension CorrectionDraft {
    var complete: Bool { true }
}

/// The frame every correction form shares: the draft in the view's state, started from the
/// record, its fields in a section, and "Gem rettelsen", off until something changed.
struct CorrectionFormScaffold<Draft: CorrectionDraft>: View {
    let was: Draft.Content
    /// Off while the reason is missing or a save is under way.
    let enabled: Bool
    let submit: (Correction) -> Void
    @State private var draft: Draft

    init(was: Draft.Content, enabled: Bool, submit: @escaping (Correction) -> Void) {
        self.was = was
        self.enabled = enabled
        self.submit = submit
        _draft = State(initialValue: Draft(was: was))
    }

    var body: some View {
        Section(Draft.title) {
            Draft.fields($draft)
            Button(L.ui("Gem rettelsen", "Save the correction")) {
                submit(Draft.correction(draft.change(from: was)))
            }
            .buttonStyle(BigButtonStyle())
            .disabled(!(enabled && draft.change(from: was) != Draft.unchanged && draft.complete))
        }
    }
}

// MARK: contact

struct ContactCorrectionDraft: CorrectionDraft {
    var place: String
    var placeKind: String
    var kind: String
    var outcome: String
    var colleague: String
    var minutes: String
    var note: String

    static var title: String { L.ui("Ret kontakten", "Correct the contact") }
    static var unchanged: ContactCorrection { ContactCorrection() }
    static func correction(_ change: ContactCorrection) -> Correction { .contactLogged(change) }

    init(was: ContactLoggedContent) {
        place = was.place
        placeKind = code(of: was.placeKind)
        kind = code(of: was.contactKind)
        outcome = code(of: was.outcome)
        colleague = was.colleague ?? ""
        minutes = was.minutes.map { String($0) } ?? ""
        note = was.note ?? ""
    }

    func change(from was: ContactLoggedContent) -> ContactCorrection {
        ContactCorrection(place: changed(place, was.place),
                          placeKind: changed(placeKind, was.placeKind, in: Vocab.placeKinds),
                          kind: changed(kind, was.contactKind, in: Vocab.contactKinds),
                          outcome: changed(outcome, was.outcome, in: Vocab.outcomes),
                          colleague: changed(colleague, was.colleague), clearColleague: emptied(colleague, was.colleague),
                          minutes: number(minutes).flatMap { $0 != was.minutes ? $0 : nil },
                          clearMinutes: trimmed(minutes) == nil && was.minutes != nil,
                          note: changed(note, was.note), clearNote: emptied(note, was.note))
    }

    var complete: Bool { trimmed(place) != nil }

    @ViewBuilder static func fields(_ draft: Binding<ContactCorrectionDraft>) -> some View {
        TextField(L.ui("Sted", "Place"), text: draft.place)
        CodePicker(title: L.ui("Slags sted", "Kind of place"), labels: L.instruments.placeKinds, code: draft.placeKind)
        CodePicker(title: L.ui("Kontakt", "Contact"), labels: L.instruments.contactKinds, code: draft.kind)
        CodePicker(title: L.ui("Udfald", "Outcome"), labels: L.instruments.outcomes, code: draft.outcome)
        TextField(L.ui("Kollega med", "Colleague present"), text: draft.colleague).textContentType(.name)
        TextField(L.ui("Minutter", "Minutes"), text: draft.minutes).keyboardType(.numberPad)
        TextField(L.ui("Note", "Note"), text: draft.note, axis: .vertical)
    }
}

// MARK: Brøset check

struct RiskCheckCorrectionDraft: CorrectionDraft {
    /// The items observed, by code.
    var observed: Set<String>
    var plan: String

    static var title: String { L.ui("Ret vurderingen", "Correct the check") }
    static var unchanged: RiskCheckCorrection { RiskCheckCorrection() }
    static func correction(_ change: RiskCheckCorrection) -> Correction { .riskChecked(change) }

    init(was: RiskCheckedContent) {
        observed = Set(was.observed.map { code(of: $0) })
        plan = was.plan ?? ""
    }

    mutating func mark(_ item: String, _ on: Bool) {
        if on {
            observed.insert(item)
        } else {
            observed.remove(item)
        }
    }

    func change(from was: RiskCheckedContent) -> RiskCheckCorrection {
        let items = Vocab.brosetItems.filter { observed.contains(code(of: $0)) }
        let before = Set(was.observed.map { code(of: $0) })
        return RiskCheckCorrection(observed: observed != before ? items : nil,
                                   plan: changed(plan, was.plan), clearPlan: emptied(plan, was.plan))
    }

    @ViewBuilder static func fields(_ draft: Binding<RiskCheckCorrectionDraft>) -> some View {
        ForEach(L.instruments.broset.items, id: \.code) { item in
            Toggle(L.text(item), isOn: Binding(get: { draft.wrappedValue.observed.contains(item.code) },
                                               set: { on in draft.wrappedValue.mark(item.code, on) }))
                .frame(minHeight: 44)
        }
        // The core's score of the items ticked, not a count of them.
        let observed = Vocab.brosetItems.filter { draft.wrappedValue.observed.contains(code(of: $0)) }
        let score = L.brosetScore(scoreRisk(observed: observed).score)
        Text(L.ui("Score nu: \(score)", "Score now: \(score)")).font(.caption)
        TextField(L.ui("Plan", "Plan"), text: draft.plan, axis: .vertical)
    }
}

// MARK: screening

struct ScreeningCorrectionDraft: CorrectionDraft {
    /// Each criterion's and burden area's answer by code: met, not-met, unknown.
    var answers: [String: String]
    var decision: String
    var reason: String
    var referralKind: String
    var referredTo: String

    static var title: String { L.ui("Ret forscreeningen", "Correct the pre-screening") }
    static var unchanged: ScreeningCorrection { ScreeningCorrection() }
    static func correction(_ change: ScreeningCorrection) -> Correction { .screeningRecorded(change) }

    init(was: ScreeningRecordedContent) {
        var answers: [String: String] = [:]
        for c in was.criteria { answers[code(of: c)] = "met" }
        for c in was.criteriaNotMet { answers[code(of: c)] = "not-met" }
        for b in was.highBurden { answers[code(of: b)] = "met" }
        for b in was.burdenNotHigh { answers[code(of: b)] = "not-met" }
        self.answers = answers
        decision = code(of: was.decision)
        reason = was.reason ?? ""
        referralKind = codeOrEmpty(was.referralKind)
        referredTo = was.referredTo ?? ""
    }

    private func answered<E>(_ all: [E], _ answer: String) -> [E] {
        all.filter { (answers[code(of: $0)] ?? "unknown") == answer }
    }

    func change(from was: ScreeningRecordedContent) -> ScreeningCorrection {
        var c = ScreeningCorrection()
        let criteria = answered(Vocab.criteria, "met"), criteriaNotMet = answered(Vocab.criteria, "not-met")
        let burden = answered(Vocab.burdenAreas, "met"), burdenNotHigh = answered(Vocab.burdenAreas, "not-met")
        if Set(criteria) != Set(was.criteria) || Set(criteriaNotMet) != Set(was.criteriaNotMet)
            || Set(burden) != Set(was.highBurden) || Set(burdenNotHigh) != Set(was.burdenNotHigh) {
            c.criteria = criteria
            c.criteriaNotMet = criteriaNotMet
            c.criteriaUnknown = answered(Vocab.criteria, "unknown")
            c.highBurden = burden
            c.burdenNotHigh = burdenNotHigh
            c.burdenUnknown = answered(Vocab.burdenAreas, "unknown")
        }
        c.decision = changed(decision, was.decision, in: Vocab.decisions)
        c.reason = changed(reason, was.reason)
        c.clearReason = emptied(reason, was.reason)
        c.referralKind = changed(referralKind, was.referralKind, in: Vocab.referralKinds)
        c.referredTo = changed(referredTo, was.referredTo)
        c.clearReferral = referralKind.isEmpty && trimmed(referredTo) == nil && (was.referralKind != nil || was.referredTo != nil)
        return c
    }

    @ViewBuilder static func fields(_ draft: Binding<ScreeningCorrectionDraft>) -> some View {
        let defs = L.instruments.screening
        ForEach(defs.criteria + defs.burdenAreas, id: \.code) { label in
            Picker(L.text(label), selection: Binding(get: { draft.wrappedValue.answers[label.code] ?? "unknown" },
                                                     set: { draft.wrappedValue.answers[label.code] = $0 })) {
                ForEach(defs.answers, id: \.code) { Text(L.text($0)).tag($0.code) }
            }
            .pickerStyle(.navigationLink)
            .frame(minHeight: 44)
        }
        CodePicker(title: L.ui("Beslutning", "Decision"), labels: defs.decisions, code: draft.decision)
        TextField(L.ui("Begrundelse for beslutningen", "Reason for the decision"), text: draft.reason, axis: .vertical)
        CodePicker(title: L.ui("Hjælpes videre ved", "Helped on by"), labels: defs.referralKinds, code: draft.referralKind, optional: true)
        TextField(L.ui("Til hvor", "To where"), text: draft.referredTo)
    }
}

// MARK: stage of change

struct StageCorrectionDraft: CorrectionDraft {
    var stage: String
    var goal: String
    /// Each scale's value as typed, by the scale's code.
    var scales: [String: String]

    static var title: String { L.ui("Ret stadiet", "Correct the stage") }
    static var unchanged: StageCorrection { StageCorrection() }
    static func correction(_ change: StageCorrection) -> Correction { .stageAssessed(change) }

    init(was: StageAssessedContent) {
        stage = code(of: was.stage)
        goal = was.recoveryGoal ?? ""
        var scales: [String: String] = [:]
        scales["importance"] = was.importance.map { String($0) }
        scales["confidence"] = was.confidence.map { String($0) }
        scales["life-control"] = was.lifeControl.map { String($0) }
        scales["craving"] = was.craving.map { String($0) }
        self.scales = scales
    }

    private func typed(_ code: String) -> UInt8? {
        scales[code].flatMap { UInt8($0.trimmingCharacters(in: .whitespaces)) }
    }

    private func newValue(_ code: String, _ was: UInt8?) -> UInt8? {
        typed(code).flatMap { $0 != was ? $0 : nil }
    }

    private func cleared(_ code: String, _ was: UInt8?) -> Bool {
        typed(code) == nil && was != nil
    }

    func change(from was: StageAssessedContent) -> StageCorrection {
        StageCorrection(stage: changed(stage, was.stage, in: Vocab.stages),
                        importance: newValue("importance", was.importance), clearImportance: cleared("importance", was.importance),
                        confidence: newValue("confidence", was.confidence), clearConfidence: cleared("confidence", was.confidence),
                        recoveryGoal: changed(goal, was.recoveryGoal), clearRecoveryGoal: emptied(goal, was.recoveryGoal),
                        lifeControl: newValue("life-control", was.lifeControl), clearLifeControl: cleared("life-control", was.lifeControl),
                        craving: newValue("craving", was.craving), clearCraving: cleared("craving", was.craving))
    }

    @ViewBuilder static func fields(_ draft: Binding<StageCorrectionDraft>) -> some View {
        Picker(L.ui("Stadie", "Stage"), selection: draft.stage) {
            ForEach(L.instruments.stages.stages, id: \.code) { Text(L.text($0)).tag($0.code) }
        }
        .pickerStyle(.navigationLink)
        .frame(minHeight: 44)
        ForEach(L.instruments.stages.scales, id: \.code) { scale in
            TextField((L.language == .english ? scale.questionEn : scale.questionDa) + " (\(scale.min)–\(scale.max))",
                      text: Binding(get: { draft.wrappedValue.scales[scale.code] ?? "" },
                                    set: { draft.wrappedValue.scales[scale.code] = $0 }))
                .keyboardType(.numberPad)
        }
        TextField(L.ui("Borgerens eget mål", "The citizen's own goal"), text: draft.goal, axis: .vertical)
    }
}

// MARK: course opened

struct CourseCorrectionDraft: CorrectionDraft {
    /// The responsible workers, separated by commas.
    var responsible: String
    var foundVia: String
    var treatment: String
    var substitution: String
    var services: String

    static var title: String { L.ui("Ret forløbets åbning", "Correct the course's opening") }
    static var unchanged: CourseCorrection { CourseCorrection() }
    static func correction(_ change: CourseCorrection) -> Correction { .courseOpened(change) }

    init(was: CourseOpenedContent) {
        responsible = was.responsible.joined(separator: ", ")
        foundVia = code(of: was.foundVia)
        treatment = codeOrEmpty(was.attachmentTreatment)
        substitution = codeOrEmpty(was.attachmentSubstitution)
        services = codeOrEmpty(was.attachmentServices)
    }

    private var names: [String] {
        responsible.split(separator: ",").compactMap { trimmed(String($0)) }
    }

    func change(from was: CourseOpenedContent) -> CourseCorrection {
        CourseCorrection(responsible: names != was.responsible && !names.isEmpty ? names : nil,
                         foundVia: changed(foundVia, was.foundVia, in: Vocab.foundVia),
                         attachmentTreatment: changed(treatment, was.attachmentTreatment, in: Vocab.attachmentTreatment),
                         clearAttachmentTreatment: unchosen(treatment, was.attachmentTreatment),
                         attachmentSubstitution: changed(substitution, was.attachmentSubstitution, in: Vocab.attachmentSubstitution),
                         clearAttachmentSubstitution: unchosen(substitution, was.attachmentSubstitution),
                         attachmentServices: changed(services, was.attachmentServices, in: Vocab.attachmentServices),
                         clearAttachmentServices: unchosen(services, was.attachmentServices))
    }

    var complete: Bool { !names.isEmpty }

    @ViewBuilder static func fields(_ draft: Binding<CourseCorrectionDraft>) -> some View {
        TextField(L.ui("Ansvarlige (adskilt med komma)", "Responsible (separated by commas)"), text: draft.responsible)
        CourseOpeningPickers(foundVia: draft.foundVia, treatment: draft.treatment,
                             substitution: draft.substitution, services: draft.services)
    }
}

// MARK: network member

struct NetworkCorrectionDraft: CorrectionDraft {
    var role: String
    var name: String
    var organisation: String
    var phone: String

    static var title: String { L.ui("Ret netværksperson", "Correct the network member") }
    static var unchanged: NetworkCorrection { NetworkCorrection() }
    static func correction(_ change: NetworkCorrection) -> Correction { .networkNoted(change) }

    init(was: NetworkNotedContent) {
        role = code(of: was.role)
        name = was.name
        organisation = was.organisation ?? ""
        phone = was.phone ?? ""
    }

    func change(from was: NetworkNotedContent) -> NetworkCorrection {
        NetworkCorrection(role: changed(role, was.role, in: Vocab.networkRoles), name: changed(name, was.name),
                          organisation: changed(organisation, was.organisation),
                          clearOrganisation: emptied(organisation, was.organisation),
                          phone: changed(phone, was.phone), clearPhone: emptied(phone, was.phone))
    }

    var complete: Bool { trimmed(name) != nil }

    @ViewBuilder static func fields(_ draft: Binding<NetworkCorrectionDraft>) -> some View {
        CodePicker(title: L.ui("Rolle", "Role"), labels: L.instruments.course.networkRoles, code: draft.role)
        TextField(L.ui("Navn", "Name"), text: draft.name).textContentType(.name)
        TextField(L.ui("Organisation", "Organisation"), text: draft.organisation)
        TextField(L.ui("Telefon", "Phone"), text: draft.phone).keyboardType(.phonePad).textContentType(.telephoneNumber)
    }
}

// MARK: area, place, round

struct AreaCorrectionDraft: CorrectionDraft {
    var name: String
    var priority: String
    var times: String
    var note: String

    static var title: String { L.ui("Ret området", "Correct the area") }
    static var unchanged: AreaCorrection { AreaCorrection() }
    static func correction(_ change: AreaCorrection) -> Correction { .areaNoted(change) }

    init(was: AreaNotedContent) {
        name = was.name
        priority = code(of: was.priority)
        times = was.times ?? ""
        note = was.note ?? ""
    }

    func change(from was: AreaNotedContent) -> AreaCorrection {
        AreaCorrection(name: changed(name, was.name), priority: changed(priority, was.priority, in: Vocab.areaPriorities),
                       times: changed(times, was.times), clearTimes: emptied(times, was.times),
                       note: changed(note, was.note), clearNote: emptied(note, was.note))
    }

    var complete: Bool { trimmed(name) != nil }

    @ViewBuilder static func fields(_ draft: Binding<AreaCorrectionDraft>) -> some View {
        TextField(L.ui("Navn", "Name"), text: draft.name)
        CodePicker(title: L.ui("Prioritet", "Priority"), labels: L.instruments.safety.areaPriorities, code: draft.priority)
        TextField(L.ui("Tidspunkter", "Times"), text: draft.times)
        TextField(L.ui("Note", "Note"), text: draft.note, axis: .vertical)
    }
}

struct PlaceCorrectionDraft: CorrectionDraft {
    var name: String
    var kind: String
    var rule: String
    var address: String
    var call: String
    var note: String

    static var title: String { L.ui("Ret stedet", "Correct the place") }
    static var unchanged: PlaceCorrection { PlaceCorrection() }
    static func correction(_ change: PlaceCorrection) -> Correction { .placeNoted(change) }

    init(was: PlaceNotedContent) {
        name = was.name
        kind = code(of: was.kind)
        rule = code(of: was.rule)
        address = was.address ?? ""
        call = was.call ?? ""
        note = was.note ?? ""
    }

    func change(from was: PlaceNotedContent) -> PlaceCorrection {
        PlaceCorrection(name: changed(name, was.name), kind: changed(kind, was.kind, in: Vocab.placeKinds),
                        rule: changed(rule, was.rule, in: Vocab.visitRules),
                        address: changed(address, was.address), clearAddress: emptied(address, was.address),
                        call: changed(call, was.call), clearCall: emptied(call, was.call),
                        note: changed(note, was.note), clearNote: emptied(note, was.note))
    }

    var complete: Bool { trimmed(name) != nil }

    @ViewBuilder static func fields(_ draft: Binding<PlaceCorrectionDraft>) -> some View {
        TextField(L.ui("Navn", "Name"), text: draft.name)
        CodePicker(title: L.ui("Slags sted", "Kind of place"), labels: L.instruments.placeKinds, code: draft.kind)
        CodePicker(title: L.ui("Besøgsregel", "Visit rule"), labels: L.instruments.safety.visitRules, code: draft.rule)
        TextField(L.ui("Adresse", "Address"), text: draft.address).textContentType(.fullStreetAddress)
        TextField(L.ui("Hvem der tilkalder", "Who calls us"), text: draft.call)
        TextField(L.ui("Note", "Note"), text: draft.note, axis: .vertical)
    }
}

struct RoundCorrectionDraft: CorrectionDraft {
    var name: String
    var weekday: String
    var time: String
    var note: String

    static var title: String { L.ui("Ret runden", "Correct the round") }
    static var unchanged: RoundCorrection { RoundCorrection() }
    static func correction(_ change: RoundCorrection) -> Correction { .roundPlanned(change) }

    init(was: RoundPlannedContent) {
        name = was.name
        weekday = code(of: was.weekday)
        time = was.time
        note = was.note ?? ""
    }

    func change(from was: RoundPlannedContent) -> RoundCorrection {
        RoundCorrection(name: changed(name, was.name), weekday: changed(weekday, was.weekday, in: Vocab.weekdays),
                        time: changed(time, was.time), note: changed(note, was.note), clearNote: emptied(note, was.note))
    }

    var complete: Bool { trimmed(name) != nil && trimmed(time) != nil }

    @ViewBuilder static func fields(_ draft: Binding<RoundCorrectionDraft>) -> some View {
        TextField(L.ui("Navn", "Name"), text: draft.name)
        CodePicker(title: L.ui("Ugedag", "Weekday"), labels: L.instruments.safety.weekdays, code: draft.weekday)
        TextField(L.ui("Klokken (tt:mm)", "Time (hh:mm)"), text: draft.time).keyboardType(.numbersAndPunctuation)
        TextField(L.ui("Note", "Note"), text: draft.note, axis: .vertical)
    }
}
