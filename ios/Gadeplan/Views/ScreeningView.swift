// The pre-screening: criteria and burden areas, each met, not met or not known yet (screening is
// gradual); what they indicate (computed by the core, nothing while one is not known), the
// worker's decision, a reason when it departs, the service referred to when outside.

import GadeplanCore
import SwiftUI

struct ScreeningView: View {
    let store: Store
    let personId: String
    @Environment(\.dismiss) private var dismiss
    // Each criterion's and area's answer: 0 met, 1 not met, 2 not known yet (the order of
    // `screening.answers`); none given is not known.
    @State private var criteria: [Int: Int] = [:]
    @State private var burden: [Int: Int] = [:]
    @State private var decision: Int?
    @State private var reason = ""
    @State private var referredTo = ""
    @State private var error: String?

    private let criterionCodes: [Criterion] = [.section101, .drugUse, .limitedTreatmentUse, .multiSystemNeed, .burdenedSituation]
    private let areaCodes: [BurdenArea] = [.physicalHealth, .mentalHealth, .economy, .crime, .familySocial]
    private let decisions: [Decision] = [.in, .outside, .undecided]

    var body: some View {
        let defs = L.instruments.screening
        let assessed = try? assessScreening(
            criteria: answered(criteria, 0, criterionCodes), criteriaNotMet: answered(criteria, 1, criterionCodes),
            highBurden: answered(burden, 0, areaCodes), burdenNotHigh: answered(burden, 1, areaCodes))
        Form {
            Section(L.text(defs.name)) {
                ForEach(Array(defs.criteria.enumerated()), id: \.offset) { i, label in
                    Picker(L.text(label), selection: Binding(get: { criteria[i] ?? 2 }, set: { criteria[i] = $0 })) {
                        ForEach(Array(defs.answers.enumerated()), id: \.offset) { a, answer in Text(L.text(answer)).tag(a) }
                    }
                }
            }
            Section(L.text(defs.complexBurden)) {
                ForEach(Array(defs.burdenAreas.enumerated()), id: \.offset) { i, label in
                    Picker(L.text(label), selection: Binding(get: { burden[i] ?? 2 }, set: { burden[i] = $0 })) {
                        ForEach(Array(defs.answers.enumerated()), id: \.offset) { a, answer in Text(L.text(answer)).tag(a) }
                    }
                }
            }
            Section {
                if let indicated = assessed?.indicatedDecision, let i = decisions.firstIndex(of: indicated) {
                    Text(L.text(defs.decisions[i])).font(.headline)
                }
                Picker(L.ui("Beslutning", "Decision"), selection: $decision) {
                    ForEach(Array(defs.decisions.enumerated()), id: \.offset) { i, label in Text(L.text(label)).tag(Optional(i)) }
                }
                if let d = decision, decisions[d] != assessed?.indicatedDecision {
                    TextField(L.ui("Begrundelse (faglig vurdering)", "Reason (professional assessment)"), text: $reason, axis: .vertical)
                }
                if let d = decision, decisions[d] == .outside {
                    TextField(L.ui("Henvist til", "Referred to"), text: $referredTo)
                }
            }
            if let error { Text(error).foregroundStyle(.red) }
            Button(L.ui("Gem", "Save")) { save() }.disabled(decision == nil)
        }
    }

    private func answered<T>(_ answers: [Int: Int], _ answer: Int, _ codes: [T]) -> [T] {
        answers.filter { $0.value == answer }.keys.sorted().map { codes[$0] }
    }

    private func save() {
        guard let d = decision else { return }
        do {
            _ = try store.recordScreening(input: ScreeningInput(
                person: personId, criteria: answered(criteria, 0, criterionCodes), highBurden: answered(burden, 0, areaCodes),
                decision: decisions[d], reason: reason.isEmpty ? nil : reason, referralKind: nil,
                referredTo: referredTo.isEmpty ? nil : referredTo, occurredAt: nil,
                criteriaNotMet: answered(criteria, 1, criterionCodes), burdenNotHigh: answered(burden, 1, areaCodes)))
            dismiss()
        } catch { self.error = error.localizedDescription }
    }
}
