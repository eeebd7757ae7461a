// The citizen's network (the whole model, issue 18): who is around them in which role (housing
// support, support contact, caseworker, GP, psychiatry, relatives, civil society), their
// organisation, and a phone number that is one tap away on the person screen (offline too: it
// is on the phone). The network so far is listed with its numbers; a member is corrected or
// voided from the timeline.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct NetworkScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String

    @StateObject private var detail = Loader<PersonDetail>()
    @StateObject private var saver = Saver()
    @SceneStorage("network.person") private var draftPerson = ""
    @SceneStorage("network.role") private var role = ""
    @SceneStorage("network.name") private var name = ""
    @SceneStorage("network.organisation") private var organisation = ""
    @SceneStorage("network.phone") private var phone = ""

    private var ready: Bool {
        value(forCode: role, in: Vocab.networkRoles) != nil && trimmed(name) != nil
    }

    var body: some View {
        Form {
            Section(L.ui("Ny i netværket", "New in the network")) {
                CodePicker(title: L.ui("Rolle", "Role"), labels: L.instruments.course.networkRoles, code: $role)
                TextField(L.ui("Navn (påkrævet)", "Name (required)"), text: $name).textContentType(.name)
                TextField(L.ui("Organisation", "Organisation"), text: $organisation).textContentType(.organizationName)
                TextField(L.ui("Telefon", "Phone"), text: $phone).keyboardType(.phonePad).textContentType(.telephoneNumber)
            }
            Loaded(loader: detail, retry: load) { d in
                if !d.network.isEmpty {
                    Section(L.ui("Netværket", "The network")) {
                        ForEach(d.network, id: \.entryId) { member in
                            PhoneRow(name: member.member.name,
                                     detail: [L.text(member.member.roleLabel), member.member.organisation]
                                         .compactMap { $0 }.joined(separator: ", "),
                                     phone: member.member.phone)
                        }
                    }
                }
            }
            ErrorSection(error: saver.error)
        }
        .safeAreaInset(edge: .bottom) {
            SaveBar(title: L.ui("Gem i netværket", "Save to the network"), ready: ready, saving: saver.saving, action: save)
        }
        .navigationTitle(L.ui("Netværk", "Network"))
        .recordWarnings(saver)
        .onAppear {
            if draftPerson != personId {
                draftPerson = personId
                role = ""; name = ""; organisation = ""; phone = ""
            }
        }
        .task(id: model.changes) { await load() }
    }

    private func load() async {
        let id = personId
        await detail.load(model) { try $0.person(id: id) }
    }

    private func save() {
        guard let chosen = value(forCode: role, in: Vocab.networkRoles), let who = trimmed(name) else { return }
        let input = NetworkInput(person: personId, role: chosen, name: who, organisation: trimmed(organisation),
                                 phone: trimmed(phone), occurredAt: nil)
        saver.record(model, .networkNoted(input)) {
            draftPerson = ""
            dismiss()
        }
    }
}
