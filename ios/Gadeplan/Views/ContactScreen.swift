// Recording a contact in a few taps (review findings I22, I25, I28, M8). Before anything else it
// shows the person's current Brøset band, or warns "Ingen aktuel risikovurdering" with a new
// check one tap away; a contact made after a check is linked to it, and one made from the person
// screen is linked to the current check (under 24 hours) when there is one. Pickers show the
// core's labels and keep their codes (in the scene's draft); Save records once, shows the core's
// safety warnings if any, and returns to where the approach began.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct ContactScreen: View {
    @EnvironmentObject private var model: AppModel
    @EnvironmentObject private var nav: Navigator
    let personId: String?
    /// The check this contact follows (its subject is the contact's).
    let riskCheck: String?

    @StateObject private var detail = Loader<PersonDetail?>()
    @SceneStorage("contact.subject") private var draftSubject = ""
    @SceneStorage("contact.placeKind") private var placeKind = "street"
    @SceneStorage("contact.place") private var place = ""
    @SceneStorage("contact.kind") private var kind = "conversation"
    @SceneStorage("contact.meeting") private var meeting = ""
    @SceneStorage("contact.outcome") private var outcome = "contact-made"
    @SceneStorage("contact.colleague") private var colleague = ""
    @SceneStorage("contact.minutes") private var minutes = ""
    @SceneStorage("contact.note") private var note = ""
    @SceneStorage("contact.announced") private var announced = true
    @State private var saving = false
    @State private var warnings: String?
    @State private var error: String?

    private var draftKey: String { (personId ?? "-") + "/" + (riskCheck ?? "-") }
    private var needsMeeting: Bool { kind == "meeting" || kind == "about-citizen" }
    private var defs: Instruments { L.instruments }

    var body: some View {
        Form {
            Section { currentRisk }
            Section {
                Picker(L.ui("Sted", "Place"), selection: $placeKind) {
                    ForEach(defs.placeKinds, id: \.code) { Text(L.text($0)).tag($0.code) }
                }
                TextField(L.ui("Hvor (påkrævet)", "Where (required)"), text: $place)
                if placeKind == "home" {
                    Toggle(L.ui("Anmeldt besøg", "Announced visit"), isOn: $announced).frame(minHeight: 56)
                }
                Picker(L.ui("Kontakt", "Contact"), selection: $kind) {
                    ForEach(defs.contactKinds, id: \.code) { Text(L.text($0)).tag($0.code) }
                }
                if needsMeeting {
                    Picker(L.label(defs.contactKinds, "meeting"), selection: $meeting) {
                        Text("–").tag("")
                        ForEach(defs.meetingKinds, id: \.code) { Text(L.text($0)).tag($0.code) }
                    }
                }
                Picker(L.ui("Udfald", "Outcome"), selection: $outcome) {
                    ForEach(defs.outcomes, id: \.code) { Text(L.text($0)).tag($0.code) }
                }
            }
            .disabled(warnings != nil)
            Section {
                TextField(L.ui("Kollega med", "Colleague present"), text: $colleague)
                    .textContentType(.name)
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
                SaveBar(title: L.ui("Gem kontakten", "Save the contact"), ready: trimmed(place) != nil, saving: saving, action: save)
            }
        }
        .navigationTitle(L.ui("Kontakt", "Contact"))
        .onAppear {
            if draftSubject != draftKey {
                draftSubject = draftKey
                place = ""; meeting = ""; colleague = ""; minutes = ""; note = ""
            }
        }
        .task(id: model.changes) {
            let id = personId
            await detail.load(model) { store in try id.map { try store.person(id: $0) } }
        }
    }

    /// The band this contact is approached under, or the warning and the check one tap away.
    @ViewBuilder private var currentRisk: some View {
        if riskCheck != nil {
            SwiftUI.Label(L.ui("Efter risikovurderingen lige nu", "After the risk check just made"), systemImage: "checkmark.shield")
        } else if let person = detail.value??.person {
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

    /// The current check of the person (the latest, not voided, while the core says it is current).
    private var currentCheck: String? {
        if let riskCheck { return riskCheck }
        guard let d = detail.value ?? nil, d.person.risk != nil else { return nil }
        return d.timeline.last { $0.kind == .riskChecked && $0.voidedBy == nil }?.id
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
            announced: placeKindValue == .home ? announced : nil)
        saving = true
        Task { @MainActor in
            do {
                let recorded = try await model.write { try $0.recordContact(input: input) }
                draftSubject = ""
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
