// The team's map (the whole model, issue 18 §4): the places of the register with their visit
// rules (open, announced only, only when called, with whom to call), by area, and the rounds of
// the route plan; noted by the team leader or a worker, synced to the phone.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct PlacesScreen: View {
    @EnvironmentObject private var model: AppModel

    struct Snapshot {
        var places: [PlaceView]
        var rounds: [RoundView]
    }

    @StateObject private var loader = Loader<Snapshot>()

    var body: some View {
        List {
            Loaded(loader: loader, retry: load) { snapshot in
                Section(L.ui("Steder", "Places")) {
                    if snapshot.places.isEmpty { Text(L.ui("Ingen steder endnu", "No places yet")).foregroundStyle(.secondary) }
                    ForEach(snapshot.places, id: \.id) { place in
                        VStack(alignment: .leading, spacing: 4) {
                            Text(place.name).font(.headline)
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
                        VStack(alignment: .leading, spacing: 4) {
                            Text(round.name).font(.headline)
                            Text(L.text(round.weekdayLabel) + " " + round.time).font(.caption)
                            Text(round.stops.map { $0.name ?? "?" }.joined(separator: " → ")).font(.caption)
                        }
                    }
                }
            }
        }
        .navigationTitle(L.ui("Steder og runder", "Places and rounds"))
        .task(id: model.changes) { await load() }
    }

    private func load() async {
        await loader.load(model) { store in try Snapshot(places: store.places(), rounds: store.rounds()) }
    }
}
