// An incident (threat or violence) recorded in the field (the whole model, issue 18 §4): its
// kind in the core's words, who was there (the roster), police or the centre called, where, and
// a note; about a person, or about no one known.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct IncidentScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String?
    @StateObject private var roster = Loader<[String]>()
    @State private var kind = "threat"
    @State private var workers: Set<String> = []
    @State private var police = false
    @State private var centre = false
    @State private var place = ""
    @State private var note = ""
    @State private var saving = false
    @State private var error: String?

    var body: some View {
        Form {
            Picker(L.ui("Hvad skete der", "What happened"), selection: $kind) {
                ForEach(L.instruments.safety.incidentKinds, id: \.code) { Text(L.text($0)).tag($0.code) }
            }
            Section(L.ui("Hvem var med", "Who was there")) {
                Loaded(loader: roster, retry: load) { names in
                    ForEach(names, id: \.self) { name in
                        Toggle(name, isOn: Binding(get: { workers.contains(name) },
                                                   set: { if $0 { workers.insert(name) } else { workers.remove(name) } }))
                            .frame(minHeight: 44)
                    }
                }
            }
            Section {
                Toggle(L.ui("Politiet tilkaldt", "Police called"), isOn: $police).frame(minHeight: 56)
                Toggle(L.ui("Centret kontaktet", "Centre called"), isOn: $centre).frame(minHeight: 56)
                TextField(L.ui("Hvor", "Where"), text: $place)
                TextField(L.ui("Note", "Note"), text: $note, axis: .vertical)
            }
            if let error { Section { Text(error).foregroundStyle(.red) } }
        }
        .safeAreaInset(edge: .bottom) {
            Button(L.ui("Gem hændelsen", "Save the incident"), action: save)
                .buttonStyle(BigButtonStyle(tint: .red))
                .disabled(saving)
                .padding()
                .background(.bar)
        }
        .navigationTitle(L.ui("Hændelse", "Incident"))
        .task { await load() }
    }

    private func load() async {
        await roster.load(model) { try $0.roster() ?? [] }
    }

    private func save() {
        guard let kindValue = value(forCode: kind, in: Vocab.incidentKinds), !saving else { return }
        let input = IncidentInput(subject: personId.map { GadeplanCore.Subject.person(id: $0) }, kind: kindValue,
                                  workers: workers.sorted(), policeCalled: police, centreCalled: centre,
                                  place: trimmed(place), note: trimmed(note))
        saving = true
        Task { @MainActor in
            do {
                _ = try await model.write { try $0.record(input: .incidentRecorded(input)) }
                dismiss()
            } catch {
                self.error = L.error(error)
            }
            saving = false
        }
    }
}
