// A citizen whose older history is held at the centre, not on the phone (docs/privacy.md, "Phones
// hold what the work needs"): the centre releases a citizen from the team's phones when its rule
// no longer keeps them, and the worker who meets one of them again searches the centre by a part
// of the nickname (`searchCentre`) and fetches the history back (`fetchHistory`); it then stays on
// this phone for a week, and as long as the team's rule says once something is recorded about the
// citizen. Both need a connection: offline the screen says so and its buttons are off. The core's
// own notice ("at-centre" of `syncNotices`) says how many citizens' history is at the centre,
// never that it is lost. Reached from the home screen.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct CentreSearchScreen: View {
    @EnvironmentObject private var model: AppModel
    @EnvironmentObject private var nav: Navigator
    @StateObject private var notice = Loader<GadeplanCore.Label?>()
    @State private var alias = ""
    @State private var searching = false
    @State private var found: [CitizenAtCentre]?
    @State private var fetching: String?
    @State private var fetched: [String: UInt32] = [:]
    @State private var error: String?

    var body: some View {
        Form {
            Section {
                Loaded(loader: notice, retry: loadNotice) { label in
                    Text(label.map { L.text($0) }
                         ?? L.ui("Ingen borgeres historik ligger kun på centret lige nu.",
                                 "No citizen's history is held at the centre only just now."))
                        .foregroundStyle(.secondary)
                }
            }
            Section {
                TextField(L.ui("Kaldenavn eller en del af det", "Nickname or a part of it"), text: $alias)
                    .autocorrectionDisabled()
                    .textInputAutocapitalization(.never)
                    .submitLabel(.search)
                    .onSubmit(search)
                    .frame(minHeight: 44)
                if !model.online { NeedsConnection() }
                Button(action: search) {
                    HStack {
                        if searching { ProgressView().tint(.white) }
                        Text(L.ui("Søg i centret", "Search the centre"))
                    }
                }
                .buttonStyle(BigButtonStyle())
                .disabled(!model.online || searching || trimmed(alias) == nil)
            } header: {
                Text(L.ui("Søg", "Search"))
            } footer: {
                Text(L.ui("Søgningen viser kun teamets borgere, hvis historik ligger på centret. Centret logger søgningen (antallet, ikke ordene).",
                          "The search shows only the team's citizens whose history is held at the centre. The centre logs the search (the count, not the words)."))
            }
            if let found { results(found) }
            if let error { Section { Text(error).foregroundStyle(.red) } }
        }
        .navigationTitle(L.ui("Søg i centret", "Search the centre"))
        .task(id: model.changes) { await loadNotice() }
    }

    private func loadNotice() async {
        await notice.load(model) { store in
            try syncNotices(status: store.syncStatus()).first { $0.code == "at-centre" }
        }
    }

    @ViewBuilder private func results(_ list: [CitizenAtCentre]) -> some View {
        Section(L.ui("Fundet på centret", "Found at the centre")) {
            if list.isEmpty {
                Text(L.ui("Ingen af teamets borgere på centret har det kaldenavn.",
                          "None of the team's citizens at the centre has that nickname."))
                    .foregroundStyle(.secondary)
            }
            ForEach(list, id: \.citizen) { citizen in
                VStack(alignment: .leading, spacing: 8) {
                    Text(citizen.alias).font(.headline)
                    if let count = fetched[citizen.citizen] {
                        Text(L.ui("Historikken er hentet (\(count) nye registreringer). Den bliver på telefonen i en uge, og længere, når du registrerer noget om borgeren.",
                                  "The history is fetched (\(count) new records). It stays on the phone for a week, and longer once you record something about the citizen."))
                            .font(.caption)
                        Button(L.ui("Åbn borgeren", "Open the citizen")) { nav.path.append(.person(citizen.citizen)) }
                            .buttonStyle(BigButtonStyle())
                    } else {
                        Button { fetch(citizen.citizen) } label: {
                            HStack {
                                if fetching == citizen.citizen { ProgressView().tint(.white) }
                                Text(L.ui("Hent historikken til telefonen", "Fetch the history to the phone"))
                            }
                        }
                        .buttonStyle(BigButtonStyle())
                        .disabled(!model.online || fetching != nil)
                    }
                }
                .padding(.vertical, 4)
            }
        }
    }

    private func search() {
        guard let term = trimmed(alias), model.online, !searching else { return }
        searching = true
        error = nil
        Task { @MainActor in
            do {
                let list: [CitizenAtCentre] = try await model.withCentre { store, transport in
                    try store.searchCentre(transport: transport, alias: term)
                }
                found = list
                fetched = [:]
            } catch {
                self.error = L.error(error)
            }
            searching = false
        }
    }

    private func fetch(_ citizen: String) {
        guard model.online, fetching == nil else { return }
        fetching = citizen
        error = nil
        Task { @MainActor in
            do {
                let count: UInt32 = try await model.withCentre { store, transport in
                    try store.fetchHistory(transport: transport, citizen: citizen)
                }
                fetched[citizen] = count
                model.reloadScreens()
            } catch {
                self.error = L.error(error)
            }
            fetching = nil
        }
    }
}
