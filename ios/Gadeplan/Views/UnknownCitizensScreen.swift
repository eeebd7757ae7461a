// Unknown citizens and duplicates (review finding M9): the citizens met or checked before they
// had a name ("man in green jacket"), each identified as a new person (NewPerson.fromUnknown) or
// joined to one already known (mergePersons); and the pairs of persons the core thinks may be the
// same citizen, merged with one tap after a confirmation. An unknown citizen's current Brøset
// band is the core's (`UnknownCitizen.risk`, `riskCheckedAt`); with a current check
// (`currentRiskCheck`) a contact is one tap away, linked to it.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct UnknownCitizensScreen: View {
    @EnvironmentObject private var model: AppModel
    @EnvironmentObject private var nav: Navigator

    struct Snapshot {
        var unknowns: [UnknownCitizen]
        var persons: [PersonSummary]
        var duplicates: [PossibleDuplicate]
    }

    @StateObject private var loader = Loader<Snapshot>()
    @State private var identifying: UnknownCitizen?
    @State private var merging: PossibleDuplicate?
    @State private var error: String?

    var body: some View {
        List {
            Loaded(loader: loader, retry: load) { snapshot in
                Section(L.ui("Ukendte borgere", "Unknown citizens")) {
                    let open = snapshot.unknowns.filter { $0.identifiedAs == nil }
                    if open.isEmpty { Text(L.ui("Ingen", "None")).foregroundStyle(.secondary) }
                    ForEach(open, id: \.id) { unknown in
                        VStack(alignment: .leading, spacing: 8) {
                            Text(unknown.description).font(.headline)
                            Text(L.ui("Først set ", "First seen ") + L.time(unknown.firstSeenAt)).font(.caption)
                            if let band = unknown.risk {
                                HStack {
                                    BandBadge(band: band)
                                    if let at = unknown.riskCheckedAt {
                                        Text(L.ui("vurderet ", "checked ") + L.time(at)).font(.caption)
                                    }
                                }
                            }
                            HStack {
                                Button(L.ui("Risikovurdering", "Risk check")) {
                                    nav.path.append(.riskCheck(.unknownCitizen(id: unknown.id)))
                                }
                                .buttonStyle(.bordered)
                                .frame(minHeight: 44)
                                if let check = unknown.currentRiskCheck {
                                    Button(L.ui("Kontakt", "Contact")) {
                                        nav.path.append(.contact(person: nil, riskCheck: check))
                                    }
                                    .buttonStyle(.bordered)
                                    .frame(minHeight: 44)
                                }
                                Spacer()
                                Button(L.ui("Identificér", "Identify")) { identifying = unknown }
                                    .buttonStyle(.borderedProminent)
                                    .frame(minHeight: 44)
                            }
                        }
                    }
                }
                Section(L.ui("Mulige dubletter", "Possible duplicates")) {
                    if snapshot.duplicates.isEmpty { Text(L.ui("Ingen", "None")).foregroundStyle(.secondary) }
                    ForEach(Array(snapshot.duplicates.enumerated()), id: \.offset) { _, pair in
                        Button { merging = pair } label: {
                            VStack(alignment: .leading) {
                                Text("\(pair.first.alias) ↔ \(pair.second.alias)").font(.headline)
                                if !pair.sharedDescriptionWords.isEmpty {
                                    Text(pair.sharedDescriptionWords.joined(separator: ", ")).font(.caption)
                                }
                            }
                            .frame(minHeight: 44)
                        }
                    }
                }
            }
            if let error { Text(error).foregroundStyle(.red) }
        }
        .navigationTitle(L.ui("Ukendte borgere", "Unknown citizens"))
        .task(id: model.changes) { await load() }
        .sheet(item: Binding(get: { identifying.map(IdentifyItem.init) }, set: { if $0 == nil { identifying = nil } })) { item in
            IdentifySheet(unknown: item.unknown, persons: loader.value?.persons ?? [])
                .environmentObject(model)
        }
        .confirmationDialog(L.ui("Samme borger?", "The same citizen?"), isPresented: Binding(
            get: { merging != nil }, set: { if !$0 { merging = nil } }), titleVisibility: .visible) {
            if let pair = merging {
                Button(L.ui("Behold \(pair.first.alias)", "Keep \(pair.first.alias)")) { merge(keep: pair.first.person, duplicate: pair.second.person) }
                Button(L.ui("Behold \(pair.second.alias)", "Keep \(pair.second.alias)")) { merge(keep: pair.second.person, duplicate: pair.first.person) }
            }
        }
    }

    private func load() async {
        await loader.load(model) { store in
            try Snapshot(unknowns: store.unknownCitizens(), persons: store.listPersons(limit: nil, offset: 0),
                         duplicates: store.possibleDuplicates())
        }
    }

    private func merge(keep: String, duplicate: String) {
        Task { @MainActor in
            do {
                _ = try await model.write { try $0.mergePersons(keep: keep, duplicate: duplicate) }
                error = nil
            } catch {
                self.error = L.error(error)
            }
        }
    }
}

private struct IdentifyItem: Identifiable {
    let unknown: UnknownCitizen
    var id: String { unknown.id }
}

/// An unknown citizen named: as a new person, or as one already known.
struct IdentifySheet: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let unknown: UnknownCitizen
    let persons: [PersonSummary]
    @State private var alias = ""
    @State private var saving = false
    @State private var error: String?

    var body: some View {
        NavigationStack {
            Form {
                Section(L.ui("Ny person", "New person")) {
                    Text(unknown.description).foregroundStyle(.secondary)
                    TextField(L.ui("Kaldenavn", "Nickname"), text: $alias)
                    Button(L.ui("Opret", "Create")) { save { try $0.addPerson(input: NewPerson(
                        alias: trimmed(alias) ?? "", description: unknown.description, birthYear: nil,
                        fromUnknown: unknown.id, occurredAt: nil)).entry } }
                        .disabled(trimmed(alias) == nil || saving)
                        .frame(minHeight: 56)
                }
                Section(L.ui("Eller en kendt person", "Or a known person")) {
                    ForEach(persons, id: \.id) { person in
                        Button(person.alias) {
                            let keep = person.id, duplicate = unknown.id
                            save { try $0.mergePersons(keep: keep, duplicate: duplicate).id }
                        }
                        .frame(minHeight: 44)
                        .disabled(saving)
                    }
                }
                if let error { Text(error).foregroundStyle(.red) }
            }
            .navigationTitle(L.ui("Identificér", "Identify"))
            .toolbar { ToolbarItem(placement: .cancellationAction) { Button(L.ui("Luk", "Close")) { dismiss() } } }
        }
    }

    private func save(_ work: @escaping (Store) throws -> String) {
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
