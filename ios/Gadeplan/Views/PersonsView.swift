// The persons list, most recently met first, with each person's current risk band (only if
// checked within 24 hours); add a person by nickname; check an unknown citizen; sync now.

import GadeplanCore
import SwiftUI

struct PersonsView: View {
    let store: Store
    @State private var persons: [PersonSummary] = []
    @State private var alias = ""
    @State private var error: String?
    @State private var notices: [Label] = []

    var body: some View {
        List {
            // What the worker must know first: a clock that is off, a full disk, refused records.
            if !notices.isEmpty {
                Section { ForEach(notices, id: \.code) { Text(L.text($0)).foregroundStyle(.red) } }
            }
            // A colleague's overdue check-in, or one's own about to fall due.
            AlertsSection(store: store)
            Section {
                HStack {
                    TextField(L.ui("Nyt kaldenavn", "New nickname"), text: $alias)
                    Button("+") { add() }.disabled(alias.isEmpty)
                }
                NavigationLink(L.ui("Risikovurdering (ukendt borger)", "Risk check (unknown citizen)")) {
                    RiskCheckView(store: store, person: nil)
                }
                NavigationLink(L.ui("Tjek-ind", "Check-in")) { CheckinScreen(store: store, person: nil) }
                if let error { Text(error).foregroundStyle(.red) }
            }
            ForEach(persons, id: \.id) { person in
                NavigationLink { TimelineView(store: store, personId: person.id) } label: {
                    HStack {
                        VStack(alignment: .leading) {
                            Text(person.alias).font(.headline)
                            Text(person.lastContactAt.map { $0.formatted(date: .numeric, time: .shortened) }
                                 ?? L.ui("aldrig mødt", "never met")).font(.caption)
                        }
                        Spacer()
                        if let risk = person.risk { RiskBadge(band: risk) }
                    }
                }
            }
        }
        .navigationTitle("Gadeplan")
        .toolbar { Button(L.ui("Synk nu", "Sync now")) { SyncScheduler.shared.syncNow(store) } }
        .onAppear(perform: reload)
        .refreshable { reload() }
    }

    private func reload() {
        persons = (try? store.listPersons(limit: 100, offset: 0)) ?? []
        notices = (try? store.syncStatus()).map { syncNotices(status: $0) } ?? []
    }

    private func add() {
        do {
            _ = try store.addPerson(input: NewPerson(alias: alias, description: nil, birthYear: nil, fromUnknown: nil, occurredAt: nil))
            alias = ""
            reload()
        } catch { self.error = error.localizedDescription }
    }
}

struct RiskBadge: View {
    let band: RiskBand
    var body: some View {
        let label = L.instruments.broset.bands.first { $0.band == band }!.label
        Text(L.text(label)).font(.caption).padding(6)
            .background(band == .high ? Color.red.opacity(0.3) : band == .moderate ? Color.orange.opacity(0.3) : Color.green.opacity(0.2))
            .clipShape(Capsule())
    }
}
