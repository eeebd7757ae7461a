// One record, and its corrections (review finding M10): the journal is append-only, so a mistake
// is voided with a reason (it stays, struck through; after a confirmation) or corrected (the
// original stays beside it). A correction is typed, by the record's kind (CorrectionForms.swift:
// every kind the core corrects), and may correct the time the record says it happened; the
// reason is asked for first. What may be corrected or voided is the core's word for this record
// (`TimelineItem.canCorrect`, `canVoid`), not a list of kinds kept here; a record the core only
// voids says so: void and record again.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct EntryScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let entryId: String
    @StateObject private var entry = Loader<TimelineItem>()
    @StateObject private var saver = Saver()
    @State private var reason = ""
    @State private var fixTime = false
    @State private var time = Date()
    @State private var confirmVoid = false

    private var enabled: Bool { trimmed(reason) != nil && !saver.saving }

    var body: some View {
        Form {
            Loaded(loader: entry, retry: load) { item in
                Section { TimelineRow(item: item) }
                if item.canCorrect || item.canVoid {
                    Section(L.ui("Begrundelse (påkrævet)", "Reason (required)")) {
                        TextField(L.ui("Hvorfor rettes eller annulleres den", "Why it is corrected or voided"), text: $reason, axis: .vertical)
                    }
                    if item.canCorrect {
                        Section(L.ui("Tidspunkt", "Time")) {
                            Toggle(L.ui("Ret tidspunktet", "Correct the time"), isOn: $fixTime).frame(minHeight: 44)
                            if fixTime {
                                DatePicker(L.ui("Skete", "Happened"), selection: $time, in: ...Date())
                                Button(L.ui("Ret kun tidspunktet", "Correct the time only")) { correctTime(item) }
                                    .frame(minHeight: 56)
                                    .disabled(!enabled)
                            }
                        }
                        CorrectionForm(item: item, enabled: enabled) { correct(item, $0) }
                    } else {
                        Section {
                            Text(L.ui("Denne registrering rettes ikke: annullér den og registrér den igen.",
                                      "This record is not corrected: void it and record it again."))
                                .font(.callout).foregroundStyle(.secondary)
                        }
                    }
                    if item.canVoid {
                        Section {
                            Button(L.ui("Annullér registreringen", "Void the record"), role: .destructive) { confirmVoid = true }
                                .disabled(!enabled)
                                .frame(minHeight: 56)
                        }
                    }
                }
            }
            ErrorSection(error: saver.error)
        }
        .navigationTitle(L.ui("Registrering", "Record"))
        .recordWarnings(saver)
        .task { await load() }
        .confirmationDialog(L.ui("Annullér registreringen?", "Void the record?"), isPresented: $confirmVoid, titleVisibility: .visible) {
            Button(L.ui("Annullér den", "Void it"), role: .destructive) { void() }
        } message: {
            Text(L.ui("Den bliver stående, markeret som annulleret, og tæller ikke længere med.",
                      "It stays, marked void, and no longer counts."))
        }
    }

    private func load() async {
        let id = entryId
        await entry.load(model) { try $0.entry(id: id) }
        if let item = entry.value { time = item.occurredAt }
    }

    /// The corrected time as the core takes it (RFC 3339, UTC), when the worker corrects it.
    private var correctedTime: String? {
        fixTime ? ISO8601DateFormatter().string(from: time) : nil
    }

    private func correct(_ item: TimelineItem, _ correction: Correction) {
        guard let why = trimmed(reason) else { return }
        let input = CorrectionInput(entry: item.id, correction: correction, occurredAt: correctedTime, reason: why)
        saver.save(model, { try $0.correct(input: input) }) { dismiss() }
    }

    /// A correction of the time alone: the core's amendment with no field changed.
    private func correctTime(_ item: TimelineItem) {
        guard let why = trimmed(reason), let at = correctedTime else { return }
        let id = item.id
        saver.save(model, { try $0.amend(entryId: id, patchJson: "{}", occurredAt: at, reason: why) }) { dismiss() }
    }

    private func void() {
        guard let why = trimmed(reason) else { return }
        let id = entryId
        saver.save(model, { try $0.voidEntry(entryId: id, reason: why) }) { dismiss() }
    }
}
