// Recording a contact in a few taps: place kind, kind and outcome pickers with sensible defaults,
// where in a few words, an optional colleague and note. After a risk check it concerns the same
// citizen, linked to that check.

import GadeplanCore
import SwiftUI

struct ContactView: View {
    let store: Store
    let subject: String
    let riskCheck: String?
    @Environment(\.dismiss) private var dismiss
    @State private var placeKind = 0
    @State private var kind = 1
    @State private var outcome = 0
    @State private var meeting: Int?
    @State private var place = ""
    @State private var colleague = ""
    @State private var note = ""
    @State private var error: String?

    // In the order of the core's label lists (`instrumentDefinitions()`), which the pickers show.
    private let placeKinds: [PlaceKind] = [.street, .park, .dropIn, .warmingRoom, .shelter, .nightCafe, .consumptionRoom, .home, .hospital, .phone, .other, .education, .treatmentCentre, .gp, .authority]
    private let kinds: [ContactKind] = [.observation, .briefContact, .conversation, .practicalHelp, .accompaniment, .referral, .aboutCitizen, .meeting]
    private let outcomes: [Outcome] = [.contactMade, .declined, .notApproachedRisk, .notFound, .noShow, .leftForSafety]
    private let meetings: [MeetingKind] = [.visitationConference, .firstTreatmentMeeting, .partnerMeeting]

    var body: some View {
        Form {
            Picker(L.ui("Sted", "Place"), selection: $placeKind) {
                ForEach(Array(L.instruments.placeKinds.enumerated()), id: \.offset) { i, label in Text(L.text(label)).tag(i) }
            }
            TextField(L.ui("Hvor", "Where"), text: $place)
            Picker(L.ui("Kontakt", "Contact"), selection: $kind) {
                ForEach(Array(L.instruments.contactKinds.enumerated()), id: \.offset) { i, label in Text(L.text(label)).tag(i) }
            }
            if kinds[kind] == .meeting || kinds[kind] == .aboutCitizen {
                Picker(L.ui("Møde", "Meeting"), selection: $meeting) {
                    ForEach(Array(L.instruments.meetingKinds.enumerated()), id: \.offset) { i, label in Text(L.text(label)).tag(Optional(i)) }
                }
            }
            Picker(L.ui("Udfald", "Outcome"), selection: $outcome) {
                ForEach(Array(L.instruments.outcomes.enumerated()), id: \.offset) { i, label in Text(L.text(label)).tag(i) }
            }
            TextField(L.ui("Kollega med", "Colleague present"), text: $colleague)
            TextField(L.ui("Note", "Note"), text: $note, axis: .vertical)
            if let error { Text(error).foregroundStyle(.red) }
            Button(L.ui("Gem kontakt", "Save contact")) { save() }.disabled(place.isEmpty)
        }
    }

    private func save() {
        do {
            _ = try store.recordContact(input: ContactInput(
                subject: riskCheck == nil ? .person(id: subject) : nil,
                place: place, placeKind: placeKinds[placeKind], kind: kinds[kind], outcome: outcomes[outcome],
                colleague: colleague.isEmpty ? nil : colleague, minutes: nil, note: note.isEmpty ? nil : note,
                riskCheck: riskCheck, occurredAt: nil,
                meeting: (kinds[kind] == .meeting || kinds[kind] == .aboutCitizen) ? meeting.map { meetings[$0] } : nil))
            dismiss()
        } catch { self.error = error.localizedDescription }
    }
}
