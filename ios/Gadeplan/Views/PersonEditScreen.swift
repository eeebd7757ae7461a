// A person's details changed (the core's person update; a person's record is not amended):
// the nickname, the description (emptied: removed) and the birth year (emptied: removed),
// starting from what the person screen shows and sending only what changed. Two colleagues who
// change the same detail apart are shown both values on the person screen ("Vælg værdi").

import GadeplanCore
import GadeplanKit
import SwiftUI

struct PersonEditScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String

    @StateObject private var detail = Loader<PersonDetail>()
    @StateObject private var saver = Saver()
    @SceneStorage("person.edit") private var draftPerson = ""
    @SceneStorage("person.alias") private var alias = ""
    @SceneStorage("person.description") private var description = ""
    @SceneStorage("person.birthYear") private var birthYear = ""

    var body: some View {
        Form {
            Loaded(loader: detail, retry: load) { _ in
                Section {
                    TextField(L.ui("Kaldenavn (påkrævet)", "Nickname (required)"), text: $alias)
                    TextField(L.ui("Beskrivelse", "Description"), text: $description, axis: .vertical)
                    TextField(L.ui("Fødselsår", "Birth year"), text: $birthYear).keyboardType(.numberPad)
                }
            }
            ErrorSection(error: saver.error)
        }
        .safeAreaInset(edge: .bottom) {
            SaveBar(title: L.ui("Gem oplysningerne", "Save the details"), ready: update != nil, saving: saver.saving, action: save)
        }
        .navigationTitle(L.ui("Ret oplysninger", "Change details"))
        .recordWarnings(saver)
        .task(id: model.changes) { await load() }
    }

    private func load() async {
        let id = personId
        await detail.load(model) { try $0.person(id: id) }
        if draftPerson != personId, let p = detail.value?.person {
            draftPerson = personId
            alias = p.alias
            description = p.description ?? ""
            birthYear = p.birthYear.map { String($0) } ?? ""
        }
    }

    /// What changed, as the core's update; nil when nothing did (or the nickname is blank).
    private var update: PersonUpdate? {
        guard let p = detail.value?.person, let newAlias = trimmed(alias) else { return nil }
        let newDescription = trimmed(description)
        let typedYear = birthYear.trimmingCharacters(in: .whitespaces)
        let newYear = Int32(typedYear)
        if !typedYear.isEmpty && newYear == nil { return nil }
        var u = PersonUpdate(person: personId, alias: nil, description: nil, birthYear: nil, clearBirthYear: false)
        if newAlias != p.alias { u.alias = newAlias }
        if newDescription != p.description { u.description = newDescription ?? "" }
        if newYear != p.birthYear {
            if let newYear { u.birthYear = newYear } else { u.clearBirthYear = true }
        }
        return u.alias == nil && u.description == nil && u.birthYear == nil && !u.clearBirthYear ? nil : u
    }

    private func save() {
        guard let input = update else { return }
        saver.save(model, { try $0.updatePerson(input: input) }) {
            draftPerson = ""
            dismiss()
        }
    }
}
