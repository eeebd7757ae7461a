// Consents and disclosures (the whole model, issue 18): the citizen's consents with whom and
// about what, in force or withdrawn; a new consent (to whom, about what, given how); withdrawing
// one (after a confirmation: from then on nothing is shared under it); and a disclosure, made
// under a consent in force (the core refuses one without). The draft is kept in the scene.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct ConsentScreen: View {
    @EnvironmentObject private var model: AppModel
    let personId: String

    @StateObject private var detail = Loader<PersonDetail>()
    @StateObject private var saver = Saver()
    @SceneStorage("consent.person") private var draftPerson = ""
    /// "give" or "disclose".
    @SceneStorage("consent.mode") private var mode = "give"
    @SceneStorage("consent.toWhom") private var toWhom = ""
    @SceneStorage("consent.about") private var about = ""
    @SceneStorage("consent.form") private var form = ""
    @SceneStorage("consent.what") private var what = ""
    @SceneStorage("consent.under") private var under = ""
    @State private var withdrawing: ConsentView?

    var body: some View {
        Form {
            Loaded(loader: detail, retry: load) { d in
                consents(d)
                ModeSection(title: L.ui("Ny", "New"), mode: $mode,
                            modes: [("give", L.ui("Samtykke", "Consent")), ("disclose", L.ui("Videregivelse", "Disclosure"))])
                if mode == "disclose" { disclosure(d) } else { giving }
            }
            ErrorSection(error: saver.error)
        }
        .safeAreaInset(edge: .bottom) {
            SaveBar(title: mode == "disclose" ? L.ui("Gem videregivelsen", "Save the disclosure") : L.ui("Gem samtykket", "Save the consent"),
                    ready: ready, saving: saver.saving, action: save)
        }
        .navigationTitle(L.ui("Samtykker", "Consents"))
        .recordWarnings(saver)
        .onAppear {
            if draftPerson != personId {
                draftPerson = personId
                mode = "give"; toWhom = ""; about = ""; form = ""; what = ""; under = ""
            }
        }
        .task(id: model.changes) { await load() }
        .confirmationDialog(L.ui("Træk samtykket tilbage?", "Withdraw the consent?"),
                            isPresented: Binding(get: { withdrawing != nil }, set: { if !$0 { withdrawing = nil } }),
                            titleVisibility: .visible,
                            presenting: withdrawing) { consent in
            Button(L.ui("Træk tilbage", "Withdraw"), role: .destructive) { withdraw(consent) }
        } message: { consent in
            Text(consent.toWhom + " · " + consent.about)
        }
    }

    private func load() async {
        let id = personId
        await detail.load(model) { try $0.person(id: id) }
    }

    @ViewBuilder private func consents(_ d: PersonDetail) -> some View {
        Section(L.ui("Samtykker", "Consents")) {
            if d.consents.isEmpty {
                Text(L.ui("Ingen samtykker endnu", "No consents yet")).foregroundStyle(.secondary)
            }
            ForEach(d.consents, id: \.entryId) { consent in
                HStack {
                    VStack(alignment: .leading, spacing: 2) {
                        Text(consent.toWhom).font(.headline)
                        Text(consent.about)
                        Text(state(consent))
                            .font(.caption).foregroundStyle(consent.inForce ? Color.secondary : Color.red)
                    }
                    Spacer()
                    if consent.inForce {
                        Button(L.ui("Træk tilbage", "Withdraw")) { withdrawing = consent }
                            .buttonStyle(.bordered)
                            .frame(minHeight: 44)
                            .disabled(saver.saving)
                    }
                }
            }
        }
    }

    /// How it was given and when, and when it was withdrawn.
    private func state(_ consent: ConsentView) -> String {
        var parts = [L.label(L.instruments.course.consentForms, of: consent.form), L.time(consent.givenAt)]
        if let withdrawn = consent.withdrawnAt {
            parts.append(L.ui("trukket tilbage ", "withdrawn ") + L.time(withdrawn))
        }
        return parts.joined(separator: " · ")
    }

    private var giving: some View {
        Section(L.ui("Nyt samtykke", "New consent")) {
            TextField(L.ui("Til hvem (påkrævet)", "To whom (required)"), text: $toWhom)
            TextField(L.ui("Om hvad (påkrævet)", "About what (required)"), text: $about, axis: .vertical)
            CodePicker(title: L.ui("Givet", "Given"), labels: L.instruments.course.consentForms, code: $form)
        }
    }

    @ViewBuilder private func disclosure(_ d: PersonDetail) -> some View {
        let inForce = d.consents.filter(\.inForce)
        Section(L.ui("Videregivelse", "Disclosure")) {
            Picker(L.ui("Under samtykket", "Under the consent"), selection: $under) {
                Text("–").tag("")
                ForEach(inForce, id: \.entryId) { c in Text(c.toWhom + " · " + c.about).tag(c.entryId) }
            }
            .pickerStyle(.navigationLink)
            .frame(minHeight: 44)
            if inForce.isEmpty {
                Text(L.ui("Der er intet samtykke i kraft at videregive under.", "There is no consent in force to disclose under."))
                    .foregroundStyle(.orange)
            }
            TextField(L.ui("Til hvem (påkrævet)", "To whom (required)"), text: $toWhom)
            TextField(L.ui("Hvad (påkrævet)", "What (required)"), text: $what, axis: .vertical)
        }
    }

    private var ready: Bool {
        if mode == "disclose" { return !under.isEmpty && trimmed(toWhom) != nil && trimmed(what) != nil }
        return trimmed(toWhom) != nil && trimmed(about) != nil && value(forCode: form, in: Vocab.consentForms) != nil
    }

    private func save() {
        guard ready, let who = trimmed(toWhom) else { return }
        let entry: NewEntry
        if mode == "disclose" {
            guard let text = trimmed(what) else { return }
            entry = .disclosureMade(DisclosureInput(person: personId, what: text, toWhom: who, consent: under, occurredAt: nil))
        } else {
            guard let subject = trimmed(about), let how = value(forCode: form, in: Vocab.consentForms) else { return }
            entry = .consentGiven(ConsentInput(person: personId, toWhom: who, about: subject, form: how, occurredAt: nil))
        }
        saver.record(model, entry) {
            toWhom = ""; about = ""; form = ""; what = ""; under = ""
        }
    }

    private func withdraw(_ consent: ConsentView) {
        withdrawing = nil
        let input = ConsentWithdrawalInput(person: personId, consent: consent.entryId, occurredAt: nil)
        saver.record(model, .consentWithdrawn(input))
    }
}
