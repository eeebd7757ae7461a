// The home screen: the sync banner (offline, last sync, not sent, refused: M7) with "Synk nu",
// and under it the core's sync notices (`syncNotices`, in the core's words and the phone's
// language: storage full, clock wrong, refused, set aside, erased unsent, at the centre);
// what to do next, in the core's order (`nextSteps`: check-in alerts with "Jeg tager den",
// guarantees running out, questionnaires due, citizens not talked with); the quick actions (a
// Brøset check of an unknown citizen, the check-in, an incident, today's log, unknown citizens,
// places, the search of the centre, settings); the team's reads a worker needs too (those
// waiting for treatment, the caseload, the areas' coverage); and the persons, most recently met
// first, fifty at a time, searchable (I21), each with its current band in colour and words, a
// mark when it has conflicts, and "Ikke sendt" with the count of its records not yet at the
// centre (PersonSummary.notSent).
// Adding a person is a sheet with its own Save (I18: no button sharing a row with a field).

import GadeplanCore
import GadeplanKit
import SwiftUI

struct HomeScreen: View {
    @EnvironmentObject private var model: AppModel
    @StateObject private var nav = Navigator()
    @StateObject private var steps = Loader<[NextStep]>()
    @StateObject private var persons = Loader<[PersonSummary]>()
    @State private var limit: UInt32 = 50
    @State private var search = ""
    @State private var adding = false

    var body: some View {
        NavigationStack(path: $nav.path) {
            List {
                if let banner = model.banner { BannerRow(banner: banner) }
                ForEach(model.notices, id: \.code) { notice in NoticeRow(notice: notice) }
                Section(L.ui("Næste skridt", "Next steps")) {
                    Loaded(loader: steps, retry: loadSteps) { list in
                        if list.isEmpty {
                            Text(L.ui("Intet der haster", "Nothing urgent")).foregroundStyle(.secondary)
                        }
                        ForEach(Array(list.enumerated()), id: \.offset) { _, step in NextStepRow(step: step) }
                    }
                }
                Section {
                    DestLink(Dest.riskCheck(nil), L.ui("Risikovurdering af ukendt borger", "Risk check of an unknown citizen"), systemImage: "exclamationmark.shield")
                    DestLink(Dest.checkin(person: nil), L.ui("Tjek-ind", "Check-in"), systemImage: "timer")
                    DestLink(Dest.incident(person: nil), L.ui("Hændelse", "Incident"), systemImage: "exclamationmark.bubble")
                    DestLink(Dest.today, L.ui("Dagens log", "Today's log"), systemImage: "list.bullet.clipboard")
                    DestLink(Dest.unknowns, L.ui("Ukendte borgere og dubletter", "Unknown citizens and duplicates"), systemImage: "person.fill.questionmark")
                    DestLink(Dest.places, L.ui("Steder og runder", "Places and rounds"), systemImage: "map")
                    DestLink(Dest.centreSearch, L.ui("Søg i centret (kræver forbindelse)", "Search the centre (needs a connection)"), systemImage: "magnifyingglass.circle")
                }
                .frame(minHeight: 44)
                Section(L.ui("Teamet", "The team")) {
                    DestLink(Dest.waiting, L.ui("Venter på behandling", "Waiting for treatment"), systemImage: "hourglass")
                    DestLink(Dest.caseload, L.ui("Sagsstamme", "Caseload"), systemImage: "person.3.sequence")
                    DestLink(Dest.coverage, L.ui("Dækning af områderne", "Coverage of the areas"), systemImage: "map.circle")
                }
                .frame(minHeight: 44)
                Section(L.ui("Borgere", "Citizens")) {
                    Loaded(loader: persons, retry: loadPersons) { list in
                        let shown = filtered(list)
                        if shown.isEmpty {
                            Text(L.ui("Ingen borgere", "No citizens")).foregroundStyle(.secondary)
                        }
                        ForEach(shown, id: \.id) { person in
                            NavigationLink(value: Dest.person(person.id)) { PersonRow(person: person) }
                        }
                        if search.isEmpty, list.count >= Int(limit) {
                            Button(L.ui("Vis flere", "Show more")) {
                                limit += 50
                                Task { @MainActor in await loadPersons() }
                            }
                            .frame(minHeight: 56)
                        }
                    }
                }
            }
            .navigationTitle("Gadeplan")
            .searchable(text: $search, prompt: L.ui("Søg kaldenavn eller beskrivelse", "Search nickname or description"))
            .onChange(of: search) { _, _ in Task { @MainActor in await loadPersons() } }
            .toolbar {
                ToolbarItem(placement: .topBarLeading) {
                    NavigationLink(value: Dest.settings) {
                        Image(systemName: "gearshape").accessibilityLabel(L.ui("Indstillinger", "Settings"))
                    }
                }
                ToolbarItem(placement: .topBarTrailing) {
                    Button { adding = true } label: {
                        SwiftUI.Label(L.ui("Tilføj borger", "Add citizen"), systemImage: "plus")
                    }
                }
            }
            .refreshable {
                await model.syncNow()
                await reload()
            }
            .sheet(isPresented: $adding) {
                AddPersonSheet { id in nav.path.append(.person(id)) }.environmentObject(model)
            }
            .gadeplanDestinations()
            .task(id: model.changes) { await reload() }
        }
        .environmentObject(nav)
    }

    private func reload() async {
        await loadSteps()
        await loadPersons()
    }

    private func loadSteps() async {
        await steps.load(model) { try $0.nextSteps() }
    }

    private func loadPersons() async {
        // A search looks through every citizen on the phone (a team's caseload, some hundreds).
        let limit: UInt32? = search.isEmpty ? self.limit : nil
        await persons.load(model) { try $0.listPersons(limit: limit, offset: 0) }
    }

    private func filtered(_ list: [PersonSummary]) -> [PersonSummary] {
        guard let term = trimmed(search)?.lowercased() else { return list }
        return list.filter {
            $0.alias.lowercased().contains(term) || ($0.description?.lowercased().contains(term) ?? false)
        }
    }
}

struct BannerRow: View {
    @EnvironmentObject private var model: AppModel
    let banner: Banner

    var body: some View {
        HStack(spacing: 12) {
            Image(systemName: icon).foregroundStyle(color).accessibilityHidden(true)
            Text(banner.text).font(.callout)
            Spacer()
            if model.syncing {
                ProgressView()
            } else {
                Button(L.ui("Synk nu", "Sync now")) { model.syncNow() }
                    .buttonStyle(.bordered)
                    .frame(minHeight: 44)
            }
        }
        .listRowBackground(color.opacity(0.12))
    }

    private var icon: String {
        switch banner.level {
        case .ok: return "checkmark.icloud"
        case .info: return "icloud"
        case .warning: return "exclamationmark.icloud"
        case .error: return "xmark.icloud"
        }
    }

    private var color: Color {
        switch banner.level {
        case .ok: return .green
        case .info: return .blue
        case .warning: return .orange
        case .error: return .red
        }
    }
}

/// One of the core's sync notices, in its words and the phone's language, under the banner:
/// what the worker should know about the phone and the centre (storage full, the clock wrong,
/// records refused or set aside, records erased before they were sent, histories held at the
/// centre). The one about the centre leads to the centre's search.
struct NoticeRow: View {
    let notice: GadeplanCore.Label

    var body: some View {
        if notice.code == "at-centre" {
            NavigationLink(value: Dest.centreSearch) { text }
        } else {
            text
        }
    }

    private var text: some View {
        SwiftUI.Label(L.text(notice), systemImage: icon)
            .font(.callout)
            .foregroundStyle(notice.code == "at-centre" ? Color.secondary : Color.orange)
            .frame(minHeight: 44, alignment: .leading)
    }

    /// An icon by the notice's code; the words are the core's whatever the code.
    private var icon: String {
        switch notice.code {
        case "storage-full": return "externaldrive.badge.exclamationmark"
        case "clock-wrong": return "clock.badge.exclamationmark"
        case "rejected": return "exclamationmark.triangle"
        case "set-aside": return "tray.full"
        case "erased-unsent": return "trash"
        case "at-centre": return "building.columns"
        default: return "info.circle"
        }
    }
}

struct PersonRow: View {
    let person: PersonSummary

    var body: some View {
        HStack {
            VStack(alignment: .leading, spacing: 4) {
                Text(person.alias).font(.headline)
                if let description = person.description { Text(description).font(.subheadline).foregroundStyle(.secondary).lineLimit(2) }
                Text(person.lastContactAt.map { L.ui("Mødt ", "Met ") + L.time($0) } ?? L.ui("Aldrig mødt", "Never met"))
                    .font(.caption).foregroundStyle(.secondary)
                NotSentMark(count: person.notSent)
            }
            Spacer()
            if person.hasConflicts {
                Image(systemName: "exclamationmark.2").foregroundStyle(.orange)
                    .accessibilityLabel(L.ui("Uafklarede oplysninger", "Unsettled details"))
            }
            if let risk = person.risk { BandBadge(band: risk) }
        }
        .frame(minHeight: 56)
    }
}

/// One of the core's next steps, with the action it calls for.
struct NextStepRow: View {
    @EnvironmentObject private var model: AppModel
    let step: NextStep
    @State private var error: String?
    @State private var taking = false

    var body: some View {
        switch step {
        case let .checkin(alert):
            let colleague = alert.kind == .colleagueOverdue || alert.kind == .colleagueDuress
            VStack(alignment: .leading, spacing: 6) {
                Text("\(L.text(alert.kindLabel)): \(alert.worker), \(alert.place)")
                    .font(.headline).foregroundStyle(colleague ? Color.red : Color.primary)
                Text(L.ui("Senest ude ", "Due out ") + L.time(alert.dueAt)).font(.caption)
                if let by = alert.acknowledgedBy {
                    Text(L.ui("\(by) har taget den", "\(by) has taken charge")).font(.caption)
                } else if colleague {
                    Button(L.ui("Jeg tager den", "I take charge")) { acknowledge(alert.checkin) }
                        .buttonStyle(BigButtonStyle(tint: .red))
                        .disabled(taking)
                }
                if let error { Text(error).foregroundStyle(.red).font(.caption) }
            }
        case let .guarantee(person, alias, guarantee):
            NavigationLink(value: Dest.person(person)) {
                VStack(alignment: .leading) {
                    Text(alias).font(.headline)
                    Text(guaranteeText(guarantee)).font(.caption).foregroundStyle(guaranteeColor(guarantee))
                }
            }
        case let .questionnaire(person, alias, due):
            NavigationLink(value: Dest.person(person)) {
                VStack(alignment: .leading) {
                    Text(alias).font(.headline)
                    Text(L.text(due.label) + " · " + L.ui("siden ", "since ") + L.time(due.since)).font(.caption)
                }
            }
        case let .talkWith(person, alias, lastSeenAt):
            NavigationLink(value: Dest.person(person)) {
                VStack(alignment: .leading) {
                    Text(alias).font(.headline)
                    Text(RuleWords.notTalkedWith
                         + (lastSeenAt.map { " · " + L.ui("sidst set ", "last seen ") + L.time($0) } ?? ""))
                        .font(.caption)
                }
            }
        }
    }

    private func acknowledge(_ checkin: String) {
        taking = true
        Task { @MainActor in
            do {
                _ = try await model.write { try $0.record(input: .checkinAcknowledged(CheckinAcknowledgementInput(checkin: checkin))) }
                model.syncNow()
            } catch {
                self.error = L.error(error)
            }
            taking = false
        }
    }
}

/// The guarantee's colour by the core's state and its "running out" rule (`Guarantee.runningOut`),
/// never by days-left arithmetic here.
func guaranteeColor(_ guarantee: Guarantee) -> Color {
    if guarantee.state == .breached { return .red }
    return guarantee.runningOut ? .orange : .primary
}

/// The treatment guarantee's countdown, in words.
func guaranteeText(_ guarantee: Guarantee) -> String {
    switch guarantee.state {
    case .met:
        return L.ui("Behandling startet inden for garantien", "Treatment started within the guarantee")
    case .breached:
        return L.ui("Behandlingsgarantien er overskredet (sidste dag \(L.time(guarantee.lastDay)))",
                    "Treatment guarantee breached (last day \(L.time(guarantee.lastDay)))")
    case .waiting:
        let days = guarantee.daysLeft.map { String($0) } ?? "?"
        return L.ui("Behandlingsgaranti: \(days) dage tilbage (sidste dag \(L.time(guarantee.lastDay)))",
                    "Treatment guarantee: \(days) days left (last day \(L.time(guarantee.lastDay)))")
    }
}
