// Recording a contact in a few taps (review findings I22, I25, I28, M8). Before anything else it
// shows the person's current Brøset band, or warns "Ingen aktuel risikovurdering" with a new
// check one tap away; a contact made after a check is linked to it, and one made from the person
// screen is linked to the current check (under 24 hours) when there is one. Pickers show the
// core's labels and keep their codes (in the scene's draft); a new contact starts with the
// worker's last choices (ContactDefaults, audit P5), with no outcome after a HIGH check. A home
// visit alone asks why it is judged safe (the core's `safetyReason`: without it the core warns
// "home visit alone"). Save records once, shows the core's safety warnings if any, and returns
// to where the approach began.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct ContactScreen: View {
    @EnvironmentObject private var model: AppModel
    @EnvironmentObject private var nav: Navigator
    let personId: String?
    /// The check this contact follows (its subject is the contact's).
    let riskCheck: String?

    @StateObject private var detail = Loader<ContactGate>()
    @SceneStorage("contact.subject") private var draftSubject = ""
    @SceneStorage("contact.placeKind") private var placeKind = ""
    @SceneStorage("contact.place") private var place = ""
    @SceneStorage("contact.kind") private var kind = ""
    @SceneStorage("contact.meeting") private var meeting = ""
    @SceneStorage("contact.outcome") private var outcome = ""
    @SceneStorage("contact.safetyReason") private var safetyReason = ""
    @SceneStorage("contact.colleague") private var colleague = ""
    @SceneStorage("contact.minutes") private var minutes = ""
    @SceneStorage("contact.note") private var note = ""
    @SceneStorage("contact.announced") private var announced = true
    @State private var saving = false
    @State private var warnings: String?
    @State private var error: String?
    /// The outcome of the last contact, waiting for the band to say whether it may be preselected.
    @State private var lastOutcome: String?

    private var draftKey: String { (personId ?? "-") + "/" + (riskCheck ?? "-") }
    private var needsMeeting: Bool { kind == "meeting" || kind == "about-citizen" }
    /// A home visit with no colleague: the core asks for the worker's reason.
    private var homeAlone: Bool {
        value(forCode: placeKind, in: Vocab.placeKinds) == .home && trimmed(colleague) == nil
    }
    private var ready: Bool {
        trimmed(place) != nil && !placeKind.isEmpty && !kind.isEmpty && !outcome.isEmpty
    }
    private var defs: Instruments { L.instruments }

    var body: some View {
        Form {
            Section { currentRisk }
            Section {
                Picker(L.ui("Sted", "Place"), selection: $placeKind) {
                    Text("–").tag("")
                    ForEach(defs.placeKinds, id: \.code) { Text(L.text($0)).tag($0.code) }
                }
                TextField(L.ui("Hvor (påkrævet)", "Where (required)"), text: $place)
                if placeKind == "home" {
                    Toggle(L.ui("Anmeldt besøg", "Announced visit"), isOn: $announced).frame(minHeight: 56)
                }
                Picker(L.ui("Kontakt", "Contact"), selection: $kind) {
                    Text("–").tag("")
                    ForEach(defs.contactKinds, id: \.code) { Text(L.text($0)).tag($0.code) }
                }
                if needsMeeting {
                    Picker(L.label(defs.contactKinds, "meeting"), selection: $meeting) {
                        Text("–").tag("")
                        ForEach(defs.meetingKinds, id: \.code) { Text(L.text($0)).tag($0.code) }
                    }
                }
                Picker(L.ui("Udfald", "Outcome"), selection: $outcome) {
                    Text("–").tag("")
                    ForEach(defs.outcomes, id: \.code) { Text(L.text($0)).tag($0.code) }
                }
            }
            .disabled(warnings != nil)
            Section {
                TextField(L.ui("Kollega med", "Colleague present"), text: $colleague)
                    .textContentType(.name)
                if homeAlone {
                    TextField(L.ui("Hvorfor det er sikkert at gå alene", "Why it is safe to go alone"),
                              text: $safetyReason, axis: .vertical)
                        .lineLimit(1...4)
                }
                TextField(L.ui("Minutter", "Minutes"), text: $minutes).keyboardType(.numberPad)
                TextField(L.ui("Note", "Note"), text: $note, axis: .vertical).lineLimit(2...6)
            }
            .disabled(warnings != nil)
            if let warnings {
                Section(L.ui("Gemt – vær opmærksom", "Saved – take note")) {
                    Text(warnings).foregroundStyle(.orange)
                    Button(L.ui("Færdig", "Done")) { nav.finishApproach() }.buttonStyle(BigButtonStyle())
                }
            }
            if let error { Section { Text(error).foregroundStyle(.red) } }
        }
        .safeAreaInset(edge: .bottom) {
            if warnings == nil {
                SaveBar(title: L.ui("Gem kontakten", "Save the contact"), ready: ready, saving: saving, action: save)
            }
        }
        .navigationTitle(L.ui("Kontakt", "Contact"))
        .onAppear {
            if draftSubject != draftKey {
                draftSubject = draftKey
                place = ""; meeting = ""; colleague = ""; minutes = ""; note = ""; safetyReason = ""
                // The last choices; the outcome once the band is known (none after a HIGH check).
                let last = model.contactDefaults.last()
                placeKind = last.placeKind
                kind = last.kind
                outcome = ""
                lastOutcome = last.outcome
            }
        }
        .task(id: model.changes) {
            let (id, check) = (personId, riskCheck)
            await detail.load(model) { store in try ContactGate.load(store, person: id, check: check) }
            if let last = lastOutcome, let gate = detail.value {
                lastOutcome = nil
                outcome = ContactDefaults.preselected(
                    last: ContactChoices(outcome: last), band: gate.band).outcome
            }
        }
    }

    /// The band this contact is approached under, or the warning and the check one tap away.
    @ViewBuilder private var currentRisk: some View {
        if riskCheck != nil {
            HStack {
                SwiftUI.Label(L.ui("Efter risikovurderingen lige nu", "After the risk check just made"), systemImage: "checkmark.shield")
                Spacer()
                if let band = detail.value?.band { BandBadge(band: band) }
            }
        } else if let person = detail.value?.person?.person {
            if let band = person.risk {
                HStack { Text(L.ui("Aktuel risiko", "Current risk")); Spacer(); BandBadge(band: band) }
            } else {
                SwiftUI.Label(L.ui("Ingen aktuel risikovurdering", "No current risk check"), systemImage: "exclamationmark.triangle.fill")
                    .foregroundStyle(.orange)
                Button(L.ui("Ny vurdering først", "New check first")) {
                    nav.path.append(.riskCheck(.person(id: person.id)))
                }
                .buttonStyle(BigButtonStyle(tint: .orange))
            }
        }
    }

    /// The check this contact is linked to: the one just made, else the person's current check
    /// as the core names it (`PersonSummary.currentRiskCheck`: the one that makes the band current).
    private var currentCheck: String? {
        if let riskCheck { return riskCheck }
        return detail.value?.person?.person.currentRiskCheck
    }

    private func save() {
        guard let where_ = trimmed(place), !saving,
              let placeKindValue = value(forCode: placeKind, in: Vocab.placeKinds),
              let kindValue = value(forCode: kind, in: Vocab.contactKinds),
              let outcomeValue = value(forCode: outcome, in: Vocab.outcomes) else { return }
        let link = currentCheck
        let input = ContactInput(
            subject: link == nil ? personId.map { GadeplanCore.Subject.person(id: $0) } : nil,
            place: where_, placeKind: placeKindValue, kind: kindValue, outcome: outcomeValue,
            colleague: trimmed(colleague), minutes: UInt32(minutes.trimmingCharacters(in: .whitespaces)),
            note: trimmed(note), riskCheck: link, occurredAt: nil,
            meeting: needsMeeting ? value(forCode: meeting, in: Vocab.meetingKinds) : nil,
            announced: placeKindValue == .home ? announced : nil,
            safetyReason: homeAlone ? trimmed(safetyReason) : nil)
        let choices = ContactChoices(placeKind: placeKind, kind: kind, outcome: outcome)
        saving = true
        Task { @MainActor in
            do {
                let recorded = try await model.write { try $0.recordContact(input: input) }
                draftSubject = ""
                model.contactDefaults.remember(choices)
                error = nil
                if let text = warningText(recorded.warnings) {
                    warnings = text
                } else {
                    nav.finishApproach()
                }
            } catch {
                self.error = L.error(error)
            }
            saving = false
        }
    }
}

/// What the contact screen reads: the person (their band and timeline), or the band of the check
/// just made.
struct ContactGate {
    var person: PersonDetail?
    var band: RiskBand?

    static func load(_ store: Store, person: String?, check: String?) throws -> ContactGate {
        let detail = try person.map { try store.person(id: $0) }
        if let check, case let .riskChecked(content) = try store.entry(id: check).content {
            return ContactGate(person: detail, band: content.band)
        }
        return ContactGate(person: detail, band: detail?.person.risk)
    }
}
