// The team's register from the phone (the whole model, issue 18 §4; Bilag 2B): a new area (its
// priority and the times it is covered), a new place (its kind, its area, the visit rule and
// whom to call, an address) or a new round of the route plan (weekday, time, its places in
// order). Team data, synced to every phone of the team; corrected or voided from the places
// screen. The draft is kept in the scene by codes and texts (the round's places by their ids).

import GadeplanCore
import GadeplanKit
import SwiftUI

struct RegisterScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    /// "area", "place" or "round".
    let kind: String

    struct Snapshot {
        var areas: [AreaView]
        var places: [PlaceView]
    }

    @StateObject private var register = Loader<Snapshot>()
    @StateObject private var saver = Saver()
    @SceneStorage("register.kind") private var draftKind = ""
    @SceneStorage("register.name") private var name = ""
    @SceneStorage("register.priority") private var priority = "normal"
    @SceneStorage("register.times") private var times = ""
    @SceneStorage("register.placeKind") private var placeKind = "street"
    @SceneStorage("register.rule") private var rule = "open"
    @SceneStorage("register.area") private var area = ""
    @SceneStorage("register.address") private var address = ""
    @SceneStorage("register.call") private var call = ""
    @SceneStorage("register.weekday") private var weekday = ""
    @SceneStorage("register.time") private var time = ""
    /// The round's places by id, in order, one a line.
    @SceneStorage("register.stops") private var stops = ""
    @SceneStorage("register.note") private var note = ""

    private var safety: SafetyVocabularies { L.instruments.safety }
    private var chosenStops: [String] { stops.split(separator: "\n").map(String.init) }

    var body: some View {
        Form {
            Section {
                TextField(L.ui("Navn (påkrævet)", "Name (required)"), text: $name)
            }
            switch kind {
            case "area": areaSection
            case "round": roundSections
            default: placeSection
            }
            Section {
                TextField(L.ui("Note", "Note"), text: $note, axis: .vertical)
            }
            ErrorSection(error: saver.error)
        }
        .safeAreaInset(edge: .bottom) {
            SaveBar(title: L.ui("Gem", "Save"), ready: ready, saving: saver.saving, action: save)
        }
        .navigationTitle(title)
        .recordWarnings(saver)
        .onAppear {
            if draftKind != kind {
                draftKind = kind
                name = ""; priority = "normal"; times = ""; placeKind = "street"; rule = "open"; area = ""
                address = ""; call = ""; weekday = ""; time = ""; stops = ""; note = ""
            }
        }
        .task(id: model.changes) {
            await register.load(model) { store in try Snapshot(areas: store.areas(), places: store.places()) }
        }
    }

    private var title: String {
        switch kind {
        case "area": return L.ui("Nyt område", "New area")
        case "round": return L.ui("Ny runde", "New round")
        default: return L.ui("Nyt sted", "New place")
        }
    }

    private var areaSection: some View {
        Section(L.ui("Område", "Area")) {
            CodePicker(title: L.ui("Prioritet", "Priority"), labels: safety.areaPriorities, code: $priority)
            TextField(L.ui("Tidspunkter det dækkes", "Times it is covered"), text: $times)
        }
    }

    private var placeSection: some View {
        Section(L.ui("Sted", "Place")) {
            CodePicker(title: L.ui("Slags sted", "Kind of place"), labels: L.instruments.placeKinds, code: $placeKind)
            CodePicker(title: L.ui("Besøgsregel", "Visit rule"), labels: safety.visitRules, code: $rule)
            if rule == "only-when-called" || !call.isEmpty {
                TextField(L.ui("Hvem der tilkalder (telefon)", "Who calls us (phone)"), text: $call)
                    .keyboardType(.phonePad)
            }
            Picker(L.ui("Område", "Area"), selection: $area) {
                Text("–").tag("")
                ForEach(register.value?.areas ?? [], id: \.id) { Text($0.name).tag($0.id) }
            }
            .pickerStyle(.navigationLink)
            .frame(minHeight: 44)
            TextField(L.ui("Adresse", "Address"), text: $address).textContentType(.fullStreetAddress)
        }
    }

    @ViewBuilder private var roundSections: some View {
        Section(L.ui("Runde", "Round")) {
            CodePicker(title: L.ui("Ugedag", "Weekday"), labels: safety.weekdays, code: $weekday)
            TextField(L.ui("Klokken (tt:mm)", "Time (hh:mm)"), text: $time).keyboardType(.numbersAndPunctuation)
        }
        Section(L.ui("Steder i rækkefølge", "Places in order")) {
            ForEach(register.value?.places ?? [], id: \.id) { place in
                let index = chosenStops.firstIndex(of: place.id)
                Button { toggleStop(place.id) } label: {
                    HStack {
                        Text(place.name)
                        Spacer()
                        if let index { Text("\(index + 1)").font(.headline).foregroundStyle(.tint) }
                    }
                    .frame(minHeight: 44)
                    .contentShape(Rectangle())
                }
                .buttonStyle(.plain)
                .accessibilityAddTraits(index != nil ? .isSelected : [])
            }
        }
    }

    private func toggleStop(_ id: String) {
        var ids = chosenStops
        if let index = ids.firstIndex(of: id) { ids.remove(at: index) } else { ids.append(id) }
        stops = ids.joined(separator: "\n")
    }

    private var ready: Bool {
        guard trimmed(name) != nil else { return false }
        switch kind {
        case "area": return value(forCode: priority, in: Vocab.areaPriorities) != nil
        case "round": return value(forCode: weekday, in: Vocab.weekdays) != nil && trimmed(time) != nil && !chosenStops.isEmpty
        default: return value(forCode: placeKind, in: Vocab.placeKinds) != nil && value(forCode: rule, in: Vocab.visitRules) != nil
        }
    }

    private func save() {
        guard ready, let named = trimmed(name) else { return }
        let entry: NewEntry
        switch kind {
        case "area":
            guard let level = value(forCode: priority, in: Vocab.areaPriorities) else { return }
            entry = .areaNoted(AreaInput(name: named, priority: level, times: trimmed(times), note: trimmed(note)))
        case "round":
            guard let day = value(forCode: weekday, in: Vocab.weekdays), let at = trimmed(time) else { return }
            entry = .roundPlanned(RoundInput(name: named, weekday: day, time: at, places: chosenStops, note: trimmed(note)))
        default:
            guard let what = value(forCode: placeKind, in: Vocab.placeKinds),
                  let visit = value(forCode: rule, in: Vocab.visitRules) else { return }
            entry = .placeNoted(PlaceInput(name: named, kind: what, rule: visit, area: area.isEmpty ? nil : area,
                                           address: trimmed(address), call: trimmed(call), note: trimmed(note)))
        }
        saver.record(model, entry) {
            draftKind = ""
            dismiss()
        }
    }
}
