// One record, and its corrections (review finding M10): the journal is append-only, so a mistake
// is voided with a reason (it stays, struck through) or corrected with a typed correction (the
// original stays beside it): a contact's place, minutes and note, a check's plan; the reason for
// a correction is asked for as well.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct EntryScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let entryId: String
    @StateObject private var entry = Loader<TimelineItem>()
    @State private var reason = ""
    @State private var place = ""
    @State private var minutes = ""
    @State private var note = ""
    @State private var plan = ""
    @State private var saving = false
    @State private var error: String?

    var body: some View {
        Form {
            Loaded(loader: entry, retry: load) { item in
                Section { TimelineRow(item: item) }
                if item.voidedBy == nil {
                    correction(item)
                    Section(L.ui("Begrundelse (påkrævet)", "Reason (required)")) {
                        TextField(L.ui("Hvorfor rettes eller annulleres den", "Why it is corrected or voided"), text: $reason, axis: .vertical)
                        Button(L.ui("Annullér registreringen", "Void the record"), role: .destructive) { void() }
                            .disabled(trimmed(reason) == nil || saving)
                            .frame(minHeight: 56)
                    }
                }
            }
            if let error { Section { Text(error).foregroundStyle(.red) } }
        }
        .navigationTitle(L.ui("Registrering", "Record"))
        .task { await load() }
    }

    private func load() async {
        let id = entryId
        await entry.load(model) { try $0.entry(id: id) }
    }

    @ViewBuilder private func correction(_ item: TimelineItem) -> some View {
        switch item.content {
        case let .contactLogged(c):
            Section(L.ui("Ret kontakten", "Correct the contact")) {
                TextField(c.place, text: $place)
                TextField(c.minutes.map { "\($0) min" } ?? L.ui("Minutter", "Minutes"), text: $minutes).keyboardType(.numberPad)
                TextField(c.note ?? L.ui("Note", "Note"), text: $note, axis: .vertical)
                Button(L.ui("Gem rettelsen", "Save the correction")) {
                    correct(.contactLogged(ContactCorrection(place: trimmed(place),
                                                             minutes: UInt32(minutes.trimmingCharacters(in: .whitespaces)),
                                                             note: trimmed(note))))
                }
                .disabled(trimmed(reason) == nil || saving || (trimmed(place) == nil && trimmed(minutes) == nil && trimmed(note) == nil))
                .frame(minHeight: 56)
            }
        case let .riskChecked(c):
            Section(L.ui("Ret planen", "Correct the plan")) {
                TextField(c.plan ?? L.ui("Plan", "Plan"), text: $plan, axis: .vertical)
                Button(L.ui("Gem rettelsen", "Save the correction")) {
                    correct(.riskChecked(RiskCheckCorrection(plan: trimmed(plan))))
                }
                .disabled(trimmed(reason) == nil || trimmed(plan) == nil || saving)
                .frame(minHeight: 56)
            }
        default:
            EmptyView()
        }
    }

    private func correct(_ correction: Correction) {
        guard let why = trimmed(reason) else { return }
        let input = CorrectionInput(entry: entryId, correction: correction, occurredAt: nil, reason: why)
        run { try $0.correct(input: input) }
    }

    private func void() {
        guard let why = trimmed(reason) else { return }
        let id = entryId
        run { try $0.voidEntry(entryId: id, reason: why) }
    }

    private func run(_ work: @escaping (Store) throws -> Recorded) {
        saving = true
        Task { @MainActor in
            do {
                _ = try await model.write(work)
                dismiss()
            } catch {
                self.error = L.error(error)
            }
            saving = false
        }
    }
}
