// The typed corrections, one small form per kind the core lets be corrected (its `Correction`:
// contacts, Brøset checks, screenings, stages of change, course openings, network members,
// areas, places and rounds; every other kind is voided and recorded again). Each form starts
// from what the record says now and sends only what the worker changed: a text emptied clears
// an optional field, a picker set to "–" clears an optional choice. No form writes JSON; the
// core checks the corrected record against its kind's rules (a high check keeps its plan).

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
        case let .contactLogged(c): ContactCorrectionForm(was: c, enabled: enabled, submit: submit)
        case let .riskChecked(c): RiskCheckCorrectionForm(was: c, enabled: enabled, submit: submit)
        case let .screeningRecorded(c): ScreeningCorrectionForm(was: c, enabled: enabled, submit: submit)
        case let .stageAssessed(c): StageCorrectionForm(was: c, enabled: enabled, submit: submit)
        case let .courseOpened(c): CourseCorrectionForm(was: c, enabled: enabled, submit: submit)
        case let .networkNoted(c): NetworkCorrectionForm(was: c, enabled: enabled, submit: submit)
        case let .areaNoted(c): AreaCorrectionForm(was: c, enabled: enabled, submit: submit)
        case let .placeNoted(c): PlaceCorrectionForm(was: c, enabled: enabled, submit: submit)
        case let .roundPlanned(c): RoundCorrectionForm(was: c, enabled: enabled, submit: submit)
        default: EmptyView()
        }
    }
}

/// Whether the core corrects this kind (else it is only voided).
func isCorrectable(_ kind: EntryKind) -> Bool {
    switch kind {
    case .contactLogged, .riskChecked, .screeningRecorded, .stageAssessed, .courseOpened,
         .networkNoted, .areaNoted, .placeNoted, .roundPlanned:
        return true
    default:
        return false
    }
}

/// The section every form ends in: "Gem rettelsen", off until something changed.
private struct CorrectButton: View {
    let enabled: Bool
    let action: () -> Void

    var body: some View {
        Button(L.ui("Gem rettelsen", "Save the correction"), action: action)
            .buttonStyle(BigButtonStyle())
            .disabled(!enabled)
    }
}

// MARK: contact

struct ContactCorrectionForm: View {
    let was: ContactLoggedContent
    let enabled: Bool
    let submit: (Correction) -> Void
    @State private var place: String
    @State private var placeKind: String
    @State private var kind: String
    @State private var outcome: String
    @State private var colleague: String
    @State private var minutes: String
    @State private var note: String

    init(was: ContactLoggedContent, enabled: Bool, submit: @escaping (Correction) -> Void) {
        self.was = was
        self.enabled = enabled
        self.submit = submit
        _place = State(initialValue: was.place)
        _placeKind = State(initialValue: code(of: was.placeKind))
        _kind = State(initialValue: code(of: was.contactKind))
        _outcome = State(initialValue: code(of: was.outcome))
        _colleague = State(initialValue: was.colleague ?? "")
        _minutes = State(initialValue: was.minutes.map { String($0) } ?? "")
        _note = State(initialValue: was.note ?? "")
    }

    private var correction: ContactCorrection {
        ContactCorrection(place: changed(place, was.place),
                          placeKind: changed(placeKind, was.placeKind, in: Vocab.placeKinds),
                          kind: changed(kind, was.contactKind, in: Vocab.contactKinds),
                          outcome: changed(outcome, was.outcome, in: Vocab.outcomes),
                          colleague: changed(colleague, was.colleague), clearColleague: emptied(colleague, was.colleague),
                          minutes: number(minutes).flatMap { $0 != was.minutes ? $0 : nil },
                          clearMinutes: trimmed(minutes) == nil && was.minutes != nil,
                          note: changed(note, was.note), clearNote: emptied(note, was.note))
    }

    var body: some View {
        Section(L.ui("Ret kontakten", "Correct the contact")) {
            TextField(L.ui("Sted", "Place"), text: $place)
            CodePicker(title: L.ui("Slags sted", "Kind of place"), labels: L.instruments.placeKinds, code: $placeKind)
            CodePicker(title: L.ui("Kontakt", "Contact"), labels: L.instruments.contactKinds, code: $kind)
            CodePicker(title: L.ui("Udfald", "Outcome"), labels: L.instruments.outcomes, code: $outcome)
            TextField(L.ui("Kollega med", "Colleague present"), text: $colleague).textContentType(.name)
            TextField(L.ui("Minutter", "Minutes"), text: $minutes).keyboardType(.numberPad)
            TextField(L.ui("Note", "Note"), text: $note, axis: .vertical)
            CorrectButton(enabled: enabled && correction != ContactCorrection() && trimmed(place) != nil) {
                submit(.contactLogged(correction))
            }
        }
    }
}

// MARK: Brøset check

struct RiskCheckCorrectionForm: View {
    let was: RiskCheckedContent
    let enabled: Bool
    let submit: (Correction) -> Void
    @State private var observed: Set<String>
    @State private var plan: String

    init(was: RiskCheckedContent, enabled: Bool, submit: @escaping (Correction) -> Void) {
        self.was = was
        self.enabled = enabled
        self.submit = submit
        _observed = State(initialValue: Set(was.observed.map { code(of: $0) }))
        _plan = State(initialValue: was.plan ?? "")
    }

    private func mark(_ item: String, _ on: Bool) {
        if on {
            observed.insert(item)
        } else {
            observed.remove(item)
        }
    }

    private var correction: RiskCheckCorrection {
        let items = Vocab.brosetItems.filter { observed.contains(code(of: $0)) }
        let before = Set(was.observed.map { code(of: $0) })
        return RiskCheckCorrection(observed: observed != before ? items : nil,
                                   plan: changed(plan, was.plan), clearPlan: emptied(plan, was.plan))
    }

    var body: some View {
        Section(L.ui("Ret vurderingen", "Correct the check")) {
            ForEach(L.instruments.broset.items, id: \.code) { item in
                Toggle(L.text(item), isOn: Binding(get: { observed.contains(item.code) },
                                                   set: { on in mark(item.code, on) }))
                    .frame(minHeight: 44)
            }
            Text(L.ui("Score nu: \(observed.count)/6", "Score now: \(observed.count)/6")).font(.caption)
            TextField(L.ui("Plan", "Plan"), text: $plan, axis: .vertical)
            CorrectButton(enabled: enabled && correction != RiskCheckCorrection()) {
                submit(.riskChecked(correction))
            }
        }
    }
}

// MARK: screening

struct ScreeningCorrectionForm: View {
    let was: ScreeningRecordedContent
    let enabled: Bool
    let submit: (Correction) -> Void
    /// Each criterion's and burden area's answer by code: met, not-met, unknown.
    @State private var answers: [String: String]
    @State private var decision: String
    @State private var reason: String
    @State private var referralKind: String
    @State private var referredTo: String

    private var defs: ScreeningDefinition { L.instruments.screening }

    init(was: ScreeningRecordedContent, enabled: Bool, submit: @escaping (Correction) -> Void) {
        self.was = was
        self.enabled = enabled
        self.submit = submit
        var answers: [String: String] = [:]
        for c in was.criteria { answers[code(of: c)] = "met" }
        for c in was.criteriaNotMet { answers[code(of: c)] = "not-met" }
        for b in was.highBurden { answers[code(of: b)] = "met" }
        for b in was.burdenNotHigh { answers[code(of: b)] = "not-met" }
        _answers = State(initialValue: answers)
        _decision = State(initialValue: code(of: was.decision))
        _reason = State(initialValue: was.reason ?? "")
        _referralKind = State(initialValue: codeOrEmpty(was.referralKind))
        _referredTo = State(initialValue: was.referredTo ?? "")
    }

    private func answered<E>(_ all: [E], _ answer: String) -> [E] {
        all.filter { (answers[code(of: $0)] ?? "unknown") == answer }
    }

    private var correction: ScreeningCorrection {
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

    private func binding(_ code: String) -> Binding<String> {
        Binding(get: { answers[code] ?? "unknown" }, set: { answers[code] = $0 })
    }

    var body: some View {
        Section(L.ui("Ret forscreeningen", "Correct the pre-screening")) {
            ForEach(defs.criteria + defs.burdenAreas, id: \.code) { label in
                Picker(L.text(label), selection: binding(label.code)) {
                    ForEach(defs.answers, id: \.code) { Text(L.text($0)).tag($0.code) }
                }
                .pickerStyle(.navigationLink)
                .frame(minHeight: 44)
            }
            CodePicker(title: L.ui("Beslutning", "Decision"), labels: defs.decisions, code: $decision)
            TextField(L.ui("Begrundelse for beslutningen", "Reason for the decision"), text: $reason, axis: .vertical)
            CodePicker(title: L.ui("Hjælpes videre ved", "Helped on by"), labels: defs.referralKinds, code: $referralKind, optional: true)
            TextField(L.ui("Til hvor", "To where"), text: $referredTo)
            CorrectButton(enabled: enabled && correction != ScreeningCorrection()) {
                submit(.screeningRecorded(correction))
            }
        }
    }
}

// MARK: stage of change

struct StageCorrectionForm: View {
    let was: StageAssessedContent
    let enabled: Bool
    let submit: (Correction) -> Void
    @State private var stage: String
    @State private var goal: String
    /// Each scale's value as typed, by the scale's code.
    @State private var scales: [String: String]

    init(was: StageAssessedContent, enabled: Bool, submit: @escaping (Correction) -> Void) {
        self.was = was
        self.enabled = enabled
        self.submit = submit
        _stage = State(initialValue: code(of: was.stage))
        _goal = State(initialValue: was.recoveryGoal ?? "")
        var scales: [String: String] = [:]
        scales["importance"] = was.importance.map { String($0) }
        scales["confidence"] = was.confidence.map { String($0) }
        scales["life-control"] = was.lifeControl.map { String($0) }
        scales["craving"] = was.craving.map { String($0) }
        _scales = State(initialValue: scales)
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

    private var correction: StageCorrection {
        StageCorrection(stage: changed(stage, was.stage, in: Vocab.stages),
                        importance: newValue("importance", was.importance), clearImportance: cleared("importance", was.importance),
                        confidence: newValue("confidence", was.confidence), clearConfidence: cleared("confidence", was.confidence),
                        recoveryGoal: changed(goal, was.recoveryGoal), clearRecoveryGoal: emptied(goal, was.recoveryGoal),
                        lifeControl: newValue("life-control", was.lifeControl), clearLifeControl: cleared("life-control", was.lifeControl),
                        craving: newValue("craving", was.craving), clearCraving: cleared("craving", was.craving))
    }

    var body: some View {
        Section(L.ui("Ret stadiet", "Correct the stage")) {
            Picker(L.ui("Stadie", "Stage"), selection: $stage) {
                ForEach(L.instruments.stages.stages, id: \.code) { Text(L.text($0)).tag($0.code) }
            }
            .pickerStyle(.navigationLink)
            .frame(minHeight: 44)
            ForEach(L.instruments.stages.scales, id: \.code) { scale in
                TextField((L.language == .english ? scale.questionEn : scale.questionDa) + " (\(scale.min)–\(scale.max))",
                          text: Binding(get: { scales[scale.code] ?? "" }, set: { scales[scale.code] = $0 }))
                    .keyboardType(.numberPad)
            }
            TextField(L.ui("Borgerens eget mål", "The citizen's own goal"), text: $goal, axis: .vertical)
            CorrectButton(enabled: enabled && correction != StageCorrection()) {
                submit(.stageAssessed(correction))
            }
        }
    }
}

// MARK: course opened

struct CourseCorrectionForm: View {
    let was: CourseOpenedContent
    let enabled: Bool
    let submit: (Correction) -> Void
    /// The responsible workers, separated by commas.
    @State private var responsible: String
    @State private var foundVia: String
    @State private var treatment: String
    @State private var substitution: String
    @State private var services: String

    private var words: CourseVocabularies { L.instruments.course }

    init(was: CourseOpenedContent, enabled: Bool, submit: @escaping (Correction) -> Void) {
        self.was = was
        self.enabled = enabled
        self.submit = submit
        _responsible = State(initialValue: was.responsible.joined(separator: ", "))
        _foundVia = State(initialValue: code(of: was.foundVia))
        _treatment = State(initialValue: codeOrEmpty(was.attachmentTreatment))
        _substitution = State(initialValue: codeOrEmpty(was.attachmentSubstitution))
        _services = State(initialValue: codeOrEmpty(was.attachmentServices))
    }

    private var names: [String] {
        responsible.split(separator: ",").compactMap { trimmed(String($0)) }
    }

    private var correction: CourseCorrection {
        CourseCorrection(responsible: names != was.responsible && !names.isEmpty ? names : nil,
                         foundVia: changed(foundVia, was.foundVia, in: Vocab.foundVia),
                         attachmentTreatment: changed(treatment, was.attachmentTreatment, in: Vocab.attachmentTreatment),
                         clearAttachmentTreatment: unchosen(treatment, was.attachmentTreatment),
                         attachmentSubstitution: changed(substitution, was.attachmentSubstitution, in: Vocab.attachmentSubstitution),
                         clearAttachmentSubstitution: unchosen(substitution, was.attachmentSubstitution),
                         attachmentServices: changed(services, was.attachmentServices, in: Vocab.attachmentServices),
                         clearAttachmentServices: unchosen(services, was.attachmentServices))
    }

    var body: some View {
        Section(L.ui("Ret forløbets åbning", "Correct the course's opening")) {
            TextField(L.ui("Ansvarlige (adskilt med komma)", "Responsible (separated by commas)"), text: $responsible)
            CodePicker(title: L.ui("Fundet via", "Found via"), labels: words.foundVia, code: $foundVia)
            CodePicker(title: L.ui("Tilknytning til behandling", "Attachment to treatment"), labels: words.attachmentTreatment,
                       code: $treatment, optional: true)
            CodePicker(title: L.ui("Tilknytning til substitution", "Attachment to substitution"), labels: words.attachmentSubstitution,
                       code: $substitution, optional: true)
            CodePicker(title: L.ui("Tilknytning til andre ydelser", "Attachment to other services"), labels: words.attachmentServices,
                       code: $services, optional: true)
            CorrectButton(enabled: enabled && correction != CourseCorrection() && !names.isEmpty) {
                submit(.courseOpened(correction))
            }
        }
    }
}

// MARK: network member

struct NetworkCorrectionForm: View {
    let was: NetworkNotedContent
    let enabled: Bool
    let submit: (Correction) -> Void
    @State private var role: String
    @State private var name: String
    @State private var organisation: String
    @State private var phone: String

    init(was: NetworkNotedContent, enabled: Bool, submit: @escaping (Correction) -> Void) {
        self.was = was
        self.enabled = enabled
        self.submit = submit
        _role = State(initialValue: code(of: was.role))
        _name = State(initialValue: was.name)
        _organisation = State(initialValue: was.organisation ?? "")
        _phone = State(initialValue: was.phone ?? "")
    }

    private var correction: NetworkCorrection {
        NetworkCorrection(role: changed(role, was.role, in: Vocab.networkRoles), name: changed(name, was.name),
                          organisation: changed(organisation, was.organisation),
                          clearOrganisation: emptied(organisation, was.organisation),
                          phone: changed(phone, was.phone), clearPhone: emptied(phone, was.phone))
    }

    var body: some View {
        Section(L.ui("Ret netværksperson", "Correct the network member")) {
            CodePicker(title: L.ui("Rolle", "Role"), labels: L.instruments.course.networkRoles, code: $role)
            TextField(L.ui("Navn", "Name"), text: $name).textContentType(.name)
            TextField(L.ui("Organisation", "Organisation"), text: $organisation)
            TextField(L.ui("Telefon", "Phone"), text: $phone).keyboardType(.phonePad).textContentType(.telephoneNumber)
            CorrectButton(enabled: enabled && correction != NetworkCorrection() && trimmed(name) != nil) {
                submit(.networkNoted(correction))
            }
        }
    }
}

// MARK: area, place, round

struct AreaCorrectionForm: View {
    let was: AreaNotedContent
    let enabled: Bool
    let submit: (Correction) -> Void
    @State private var name: String
    @State private var priority: String
    @State private var times: String
    @State private var note: String

    init(was: AreaNotedContent, enabled: Bool, submit: @escaping (Correction) -> Void) {
        self.was = was
        self.enabled = enabled
        self.submit = submit
        _name = State(initialValue: was.name)
        _priority = State(initialValue: code(of: was.priority))
        _times = State(initialValue: was.times ?? "")
        _note = State(initialValue: was.note ?? "")
    }

    private var correction: AreaCorrection {
        AreaCorrection(name: changed(name, was.name), priority: changed(priority, was.priority, in: Vocab.areaPriorities),
                       times: changed(times, was.times), clearTimes: emptied(times, was.times),
                       note: changed(note, was.note), clearNote: emptied(note, was.note))
    }

    var body: some View {
        Section(L.ui("Ret området", "Correct the area")) {
            TextField(L.ui("Navn", "Name"), text: $name)
            CodePicker(title: L.ui("Prioritet", "Priority"), labels: L.instruments.safety.areaPriorities, code: $priority)
            TextField(L.ui("Tidspunkter", "Times"), text: $times)
            TextField(L.ui("Note", "Note"), text: $note, axis: .vertical)
            CorrectButton(enabled: enabled && correction != AreaCorrection() && trimmed(name) != nil) {
                submit(.areaNoted(correction))
            }
        }
    }
}

struct PlaceCorrectionForm: View {
    let was: PlaceNotedContent
    let enabled: Bool
    let submit: (Correction) -> Void
    @State private var name: String
    @State private var kind: String
    @State private var rule: String
    @State private var address: String
    @State private var call: String
    @State private var note: String

    init(was: PlaceNotedContent, enabled: Bool, submit: @escaping (Correction) -> Void) {
        self.was = was
        self.enabled = enabled
        self.submit = submit
        _name = State(initialValue: was.name)
        _kind = State(initialValue: code(of: was.kind))
        _rule = State(initialValue: code(of: was.rule))
        _address = State(initialValue: was.address ?? "")
        _call = State(initialValue: was.call ?? "")
        _note = State(initialValue: was.note ?? "")
    }

    private var correction: PlaceCorrection {
        PlaceCorrection(name: changed(name, was.name), kind: changed(kind, was.kind, in: Vocab.placeKinds),
                        rule: changed(rule, was.rule, in: Vocab.visitRules),
                        address: changed(address, was.address), clearAddress: emptied(address, was.address),
                        call: changed(call, was.call), clearCall: emptied(call, was.call),
                        note: changed(note, was.note), clearNote: emptied(note, was.note))
    }

    var body: some View {
        Section(L.ui("Ret stedet", "Correct the place")) {
            TextField(L.ui("Navn", "Name"), text: $name)
            CodePicker(title: L.ui("Slags sted", "Kind of place"), labels: L.instruments.placeKinds, code: $kind)
            CodePicker(title: L.ui("Besøgsregel", "Visit rule"), labels: L.instruments.safety.visitRules, code: $rule)
            TextField(L.ui("Adresse", "Address"), text: $address).textContentType(.fullStreetAddress)
            TextField(L.ui("Hvem der tilkalder", "Who calls us"), text: $call)
            TextField(L.ui("Note", "Note"), text: $note, axis: .vertical)
            CorrectButton(enabled: enabled && correction != PlaceCorrection() && trimmed(name) != nil) {
                submit(.placeNoted(correction))
            }
        }
    }
}

struct RoundCorrectionForm: View {
    let was: RoundPlannedContent
    let enabled: Bool
    let submit: (Correction) -> Void
    @State private var name: String
    @State private var weekday: String
    @State private var time: String
    @State private var note: String

    init(was: RoundPlannedContent, enabled: Bool, submit: @escaping (Correction) -> Void) {
        self.was = was
        self.enabled = enabled
        self.submit = submit
        _name = State(initialValue: was.name)
        _weekday = State(initialValue: code(of: was.weekday))
        _time = State(initialValue: was.time)
        _note = State(initialValue: was.note ?? "")
    }

    private var correction: RoundCorrection {
        RoundCorrection(name: changed(name, was.name), weekday: changed(weekday, was.weekday, in: Vocab.weekdays),
                        time: changed(time, was.time), note: changed(note, was.note), clearNote: emptied(note, was.note))
    }

    var body: some View {
        Section(L.ui("Ret runden", "Correct the round")) {
            TextField(L.ui("Navn", "Name"), text: $name)
            CodePicker(title: L.ui("Ugedag", "Weekday"), labels: L.instruments.safety.weekdays, code: $weekday)
            TextField(L.ui("Klokken (tt:mm)", "Time (hh:mm)"), text: $time).keyboardType(.numbersAndPunctuation)
            TextField(L.ui("Note", "Note"), text: $note, axis: .vertical)
            CorrectButton(enabled: enabled && correction != RoundCorrection() && trimmed(name) != nil && trimmed(time) != nil) {
                submit(.roundPlanned(correction))
            }
        }
    }
}
