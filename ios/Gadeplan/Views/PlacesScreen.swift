// The team's map (the whole model, issue 18 §4): the areas with their priority, the places of the
// register with their visit rules (open, announced only, only when called, with whom to call),
// by area, and the rounds of the route plan; noted by the team leader or a worker, synced to the
// phone. New ones are noted from the toolbar (RegisterScreen); each is corrected or voided by
// "Ret" (EntryScreen: areas, places and rounds are named by their entry's id).

import GadeplanCore
import GadeplanKit
import SwiftUI

struct PlacesScreen: View {
    @EnvironmentObject private var model: AppModel
    @EnvironmentObject private var nav: Navigator

    struct Snapshot {
        var areas: [AreaView]
        var places: [PlaceView]
        var rounds: [RoundView]
    }

    @StateObject private var loader = Loader<Snapshot>()

    var body: some View {
        List {
            Loaded(loader: loader, retry: load) { snapshot in
                if !snapshot.areas.isEmpty {
                    Section(L.ui("Områder", "Areas")) {
                        ForEach(snapshot.areas, id: \.id) { area in
                            HStack {
                                VStack(alignment: .leading, spacing: 4) {
                                    Text(area.name).font(.headline)
                                    Text([L.text(area.priorityLabel), area.times].compactMap { $0 }.joined(separator: " · ")).font(.caption)
                                }
                                Spacer()
                                correctButton(area.id)
                            }
                        }
                    }
                }
                Section(L.ui("Steder", "Places")) {
                    if snapshot.places.isEmpty { Text(L.ui("Ingen steder endnu", "No places yet")).foregroundStyle(.secondary) }
                    ForEach(snapshot.places, id: \.id) { place in
                        VStack(alignment: .leading, spacing: 4) {
                            HStack {
                                Text(place.name).font(.headline)
                                Spacer()
                                correctButton(place.id)
                            }
                            Text([L.text(place.kindLabel), place.areaName].compactMap { $0 }.joined(separator: " · ")).font(.caption)
                            Text(L.text(place.ruleLabel))
                                .font(.callout.weight(.semibold))
                                .foregroundStyle(place.rule == .`open` ? Color.secondary : Color.orange)
                            if let call = place.call { PhoneRow(name: L.ui("Ring først", "Call first"), detail: nil, phone: call) }
                            if let address = place.address { Text(address).font(.caption) }
                            if let note = place.note { Text(note).font(.caption).foregroundStyle(.secondary) }
                        }
                    }
                }
                Section(L.ui("Runder", "Rounds")) {
                    ForEach(snapshot.rounds, id: \.id) { round in
                        HStack {
                            VStack(alignment: .leading, spacing: 4) {
                                Text(round.name).font(.headline)
                                Text(L.text(round.weekdayLabel) + " " + round.time).font(.caption)
                                Text(round.stops.map { $0.name ?? "?" }.joined(separator: " → ")).font(.caption)
                            }
                            Spacer()
                            correctButton(round.id)
                        }
                    }
                }
            }
        }
        .navigationTitle(L.ui("Steder og runder", "Places and rounds"))
        .toolbar {
            ToolbarItem(placement: .primaryAction) {
                Menu {
                    Button(L.ui("Nyt sted", "New place")) { nav.path.append(.register("place")) }
                    Button(L.ui("Nyt område", "New area")) { nav.path.append(.register("area")) }
                    Button(L.ui("Ny runde", "New round")) { nav.path.append(.register("round")) }
                } label: {
                    SwiftUI.Label(L.ui("Tilføj", "Add"), systemImage: "plus")
                }
            }
        }
        .task(id: model.changes) { await load() }
    }

    /// "Ret": the record of an area, place or round, to correct or void.
    private func correctButton(_ entryId: String) -> some View {
        Button(L.ui("Ret", "Correct")) { nav.path.append(.entry(entryId)) }
            .buttonStyle(.bordered)
            .frame(minHeight: 44)
    }

    private func load() async {
        await loader.load(model) { store in
            try Snapshot(areas: store.areas(), places: store.places(), rounds: store.rounds())
        }
    }
}
