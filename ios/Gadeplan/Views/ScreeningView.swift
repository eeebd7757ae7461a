// The pre-screening: criteria and burden areas, what they indicate (computed by the core), the
// worker's decision, a reason when it departs, the service referred to when outside.

import GadeplanCore
import SwiftUI

struct ScreeningView: View {
    let store: Store
    let personId: String
    @Environment(\.dismiss) private var dismiss
    @State private var criteria: Set<Int> = []
    @State private var burden: Set<Int> = []
    @State private var decision: Int?
    @State private var reason = ""
    @State private var referredTo = ""
    @State private var error: String?

    private let criterionCodes: [Criterion] = [.section101, .drugUse, .limitedTreatmentUse, .multiSystemNeed, .burdenedSituation]
    private let areaCodes: [BurdenArea] = [.physicalHealth, .mentalHealth, .economy, .crime, .familySocial]
    private let decisions: [Decision] = [.in, .outside, .undecided]

    var body: some View {
        let defs = L.instruments.screening
        let assessed = assessScreening(criteria: criteria.sorted().map { criterionCodes[$0] }, highBurden: burden.sorted().map { areaCodes[$0] })
        Form {
            Section(L.text(defs.name)) {
                ForEach(Array(defs.criteria.enumerated()), id: \.offset) { i, label in
                    Toggle(L.text(label), isOn: Binding(get: { criteria.contains(i) }, set: { if $0 { criteria.insert(i) } else { criteria.remove(i) } }))
                }
            }
            Section(L.text(defs.complexBurden)) {
                ForEach(Array(defs.burdenAreas.enumerated()), id: \.offset) { i, label in
                    Toggle(L.text(label), isOn: Binding(get: { burden.contains(i) }, set: { if $0 { burden.insert(i) } else { burden.remove(i) } }))
                }
            }
            Section {
                Text(L.text(defs.decisions[assessed.indicated ? 0 : 1])).font(.headline)
                Picker(L.ui("Beslutning", "Decision"), selection: $decision) {
                    ForEach(Array(defs.decisions.enumerated()), id: \.offset) { i, label in Text(L.text(label)).tag(Optional(i)) }
                }
                if let d = decision, decisions[d] != assessed.indicatedDecision {
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

    private func save() {
        guard let d = decision else { return }
        do {
            _ = try store.recordScreening(input: ScreeningInput(
                person: personId, criteria: criteria.sorted().map { criterionCodes[$0] }, highBurden: burden.sorted().map { areaCodes[$0] },
                decision: decisions[d], reason: reason.isEmpty ? nil : reason, referralKind: nil,
                referredTo: referredTo.isEmpty ? nil : referredTo, occurredAt: nil))
            dismiss()
        } catch { self.error = error.localizedDescription }
    }
}
