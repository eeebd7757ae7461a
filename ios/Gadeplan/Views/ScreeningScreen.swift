// The pre-screening (review findings I24, I25, I28): each criterion and burden area met, not met
// or not known yet (screening is gradual), by their codes; what they indicate (the core's
// `assessScreening`); the worker's decision; a reason when it departs (and only then sent); for a
// citizen outside the target group, how they are helped on (guide, refer, hand over: the
// referral kind) and to where. The answers are kept in the scene's draft as codes.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct ScreeningScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String

    @SceneStorage("screening.person") private var draftPerson = ""
    /// "code=answer" pairs, answer one of the core's answer codes (met, not-met, unknown).
    @SceneStorage("screening.answers") private var answers = ""
    @SceneStorage("screening.decision") private var decision = ""
    @SceneStorage("screening.reason") private var reason = ""
    @SceneStorage("screening.referralKind") private var referralKind = ""
    @SceneStorage("screening.referredTo") private var referredTo = ""
    @State private var saving = false
    @State private var error: String?

    private var defs: ScreeningDefinition { L.instruments.screening }

    private func answer(_ code: String) -> String {
        answers.split(separator: ";").first { $0.hasPrefix(code + "=") }
            .map { String($0.dropFirst(code.count + 1)) } ?? "unknown"
    }

    private func binding(_ code: String) -> Binding<String> {
        Binding(get: { answer(code) }, set: { value in
            var pairs = answers.split(separator: ";").map(String.init).filter { !$0.hasPrefix(code + "=") }
            pairs.append(code + "=" + value)
            answers = pairs.joined(separator: ";")
        })
    }

    private func codes<E>(_ all: [E], answered: String) -> [E] {
        all.filter { answer(code(of: $0)) == answered }
    }

    var body: some View {
        let assessed = try? assessScreening(
            criteria: codes(Vocab.criteria, answered: "met"), criteriaNotMet: codes(Vocab.criteria, answered: "not-met"),
            highBurden: codes(Vocab.burdenAreas, answered: "met"), burdenNotHigh: codes(Vocab.burdenAreas, answered: "not-met"))
        let chosen = value(forCode: decision, in: Vocab.decisions)
        let departs = chosen != nil && chosen != assessed?.indicatedDecision
        Form {
            Section(L.text(defs.name)) {
                ForEach(defs.criteria, id: \.code) { label in answerPicker(label) }
            }
            Section(L.text(defs.complexBurden)) {
                ForEach(defs.burdenAreas, id: \.code) { label in answerPicker(label) }
            }
            Section(L.ui("Beslutning", "Decision")) {
                if let indicated = assessed?.indicatedDecision {
                    Text(L.ui("Kriterierne peger på: ", "The criteria indicate: ") + L.label(defs.decisions, of: indicated))
                        .font(.headline)
                }
                Picker(L.ui("Faglig vurdering", "Professional assessment"), selection: $decision) {
                    Text("–").tag("")
                    ForEach(defs.decisions, id: \.code) { Text(L.text($0)).tag($0.code) }
                }
                if departs {
                    TextField(L.ui("Begrundelse (påkrævet)", "Reason (required)"), text: $reason, axis: .vertical)
                }
                if chosen == .outside {
                    Picker(L.ui("Hjælpes videre ved", "Helped on by"), selection: $referralKind) {
                        Text("–").tag("")
                        ForEach(defs.referralKinds, id: \.code) { Text(L.text($0)).tag($0.code) }
                    }
                    TextField(L.ui("Til hvor", "To where"), text: $referredTo)
                }
            }
            if let error { Section { Text(error).foregroundStyle(.red) } }
        }
        .safeAreaInset(edge: .bottom) {
            SaveBar(title: L.ui("Gem forscreeningen", "Save the pre-screening"),
                    ready: chosen != nil && !(departs && trimmed(reason) == nil), saving: saving) { save(departs: departs) }
        }
        .navigationTitle(L.ui("Forscreening", "Pre-screening"))
        .onAppear {
            if draftPerson != personId {
                draftPerson = personId
                answers = ""; decision = ""; reason = ""; referralKind = ""; referredTo = ""
            }
        }
    }

    private func answerPicker(_ label: GadeplanCore.Label) -> some View {
        Picker(L.text(label), selection: binding(label.code)) {
            ForEach(defs.answers, id: \.code) { Text(L.text($0)).tag($0.code) }
        }
        .pickerStyle(.navigationLink)
        .frame(minHeight: 44)
    }

    private func save(departs: Bool) {
        guard let chosen = value(forCode: decision, in: Vocab.decisions), !saving else { return }
        let outside = chosen == .outside
        let input = ScreeningInput(
            person: personId,
            criteria: codes(Vocab.criteria, answered: "met"),
            highBurden: codes(Vocab.burdenAreas, answered: "met"),
            decision: chosen,
            reason: departs ? trimmed(reason) : nil,
            referralKind: outside ? value(forCode: referralKind, in: Vocab.referralKinds) : nil,
            referredTo: outside ? trimmed(referredTo) : nil,
            occurredAt: nil,
            criteriaNotMet: codes(Vocab.criteria, answered: "not-met"),
            burdenNotHigh: codes(Vocab.burdenAreas, answered: "not-met"))
        saving = true
        Task { @MainActor in
            do {
                _ = try await model.write { try $0.recordScreening(input: input) }
                draftPerson = ""
                dismiss()
            } catch {
                self.error = L.error(error)
            }
            saving = false
        }
    }
}
