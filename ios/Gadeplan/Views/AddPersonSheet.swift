// Adding a citizen by nickname (review finding I18): a sheet of its own with a required, trimmed
// nickname, an optional description and birth year, and one Save; the core's warnings (a
// possible duplicate) are shown before it closes.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct AddPersonSheet: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let added: (String) -> Void
    @State private var alias = ""
    @State private var description = ""
    @State private var birthYear = ""
    @State private var saving = false
    @State private var warnings: String?
    @State private var person: String?
    @State private var error: String?

    var body: some View {
        NavigationStack {
            Form {
                TextField(L.ui("Kaldenavn (påkrævet)", "Nickname (required)"), text: $alias)
                    .submitLabel(.done)
                TextField(L.ui("Beskrivelse", "Description"), text: $description, axis: .vertical)
                TextField(L.ui("Fødselsår", "Birth year"), text: $birthYear).keyboardType(.numberPad)
                if let warnings { Text(warnings).foregroundStyle(.orange) }
                if let error { Text(error).foregroundStyle(.red) }
            }
            .navigationTitle(L.ui("Ny borger", "New citizen"))
            .toolbar {
                ToolbarItem(placement: .cancellationAction) { Button(L.ui("Luk", "Close")) { dismiss() } }
                ToolbarItem(placement: .confirmationAction) {
                    if let person {
                        Button(L.ui("Åbn", "Open")) { dismiss(); added(person) }
                    } else {
                        Button(L.ui("Gem", "Save"), action: save).disabled(trimmed(alias) == nil || saving)
                    }
                }
            }
        }
    }

    private func save() {
        guard let alias = trimmed(alias), !saving else { return }
        let input = NewPerson(alias: alias, description: trimmed(description),
                              birthYear: Int32(birthYear.trimmingCharacters(in: .whitespaces)),
                              fromUnknown: nil, occurredAt: nil)
        saving = true
        Task { @MainActor in
            do {
                let recorded = try await model.write { try $0.addPerson(input: input) }
                if let text = warningText(recorded.warnings) {
                    warnings = text
                    person = recorded.person
                } else {
                    dismiss()
                    added(recorded.person)
                }
            } catch {
                self.error = L.error(error)
            }
            saving = false
        }
    }
}
