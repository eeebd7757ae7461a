// Bridging to the services beside drug treatment (the whole model, issue 18): the GP,
// psychiatry, housing support, a support contact, the caseworker; how far the bridge has come
// (contacted, a stable contact, dropped) and whom at the service, in a few words. The bridges
// recorded so far are listed from the timeline. A bridge belongs to the open course.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct BridgeScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String

    @StateObject private var detail = Loader<PersonDetail>()
    @StateObject private var saver = Saver()
    @SceneStorage("bridge.person") private var draftPerson = ""
    @SceneStorage("bridge.service") private var service = ""
    @SceneStorage("bridge.status") private var status = ""
    @SceneStorage("bridge.contact") private var contact = ""

    private var ready: Bool {
        value(forCode: service, in: Vocab.bridgeServices) != nil && value(forCode: status, in: Vocab.bridgeStatuses) != nil
    }

    var body: some View {
        Form {
            Loaded(loader: detail, retry: load) { d in
                if openCourse(d) != nil {
                    Section(L.ui("Brobygning til", "Bridge to")) {
                        CodePicker(title: L.ui("Tilbud", "Service"), labels: L.instruments.course.bridgeServices, code: $service)
                        CodePicker(title: L.ui("Status", "Status"), labels: L.instruments.course.bridgeStatuses, code: $status)
                        TextField(L.ui("Hvem hos tilbuddet", "Whom at the service"), text: $contact)
                    }
                    earlier(d)
                } else {
                    NoOpenCourse(personId: personId)
                }
            }
            ErrorSection(error: saver.error)
        }
        .safeAreaInset(edge: .bottom) {
            if let d = detail.value, openCourse(d) != nil {
                SaveBar(title: L.ui("Gem brobygningen", "Save the bridge"), ready: ready, saving: saver.saving, action: save)
            }
        }
        .navigationTitle(L.ui("Brobygning", "Bridging"))
        .recordWarnings(saver)
        .onAppear {
            if draftPerson != personId {
                draftPerson = personId
                service = ""; status = ""; contact = ""
            }
        }
        .task(id: model.changes) { await load() }
    }

    private func load() async {
        let id = personId
        await detail.load(model) { try $0.person(id: id) }
    }

    @ViewBuilder private func earlier(_ d: PersonDetail) -> some View {
        let bridges = d.timeline.filter { $0.kind == .serviceBridged && $0.voidedBy == nil }
        if !bridges.isEmpty {
            Section(L.ui("Tidligere", "Earlier")) {
                ForEach(Array(bridges.reversed()), id: \.id) { item in TimelineRow(item: item) }
            }
        }
    }

    private func save() {
        guard let d = detail.value, let course = openCourse(d),
              let chosen = value(forCode: service, in: Vocab.bridgeServices),
              let state = value(forCode: status, in: Vocab.bridgeStatuses) else { return }
        let input = BridgeInput(person: personId, course: course.id, service: chosen, status: state,
                                contact: trimmed(contact), occurredAt: nil)
        saver.record(model, .serviceBridged(input)) {
            draftPerson = ""
            dismiss()
        }
    }
}
