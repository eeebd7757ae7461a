// The Brøset check before an approach: six large toggles; score, band and required action shown at
// once as the core scores them; the plan required (and Save held back) when the band is high.

import GadeplanCore
import SwiftUI

struct RiskCheckView: View {
    let store: Store
    let person: String?
    @State private var observed: Set<BrosetItem> = []
    @State private var plan = ""
    @State private var unknown = ""
    @State private var error: String?
    @State private var saved: RiskCheckRecorded?

    private let codes: [BrosetItem] = [.confusion, .irritability, .boisterousness, .physicalThreats, .verbalThreats, .attacksOnObjects]

    var body: some View {
        let score = scoreRisk(observed: codes.filter { observed.contains($0) })
        let band = L.instruments.broset.bands.first { $0.band == score.band }!
        Form {
            if person == nil {
                TextField(L.ui("Beskriv borgeren", "Describe the citizen"), text: $unknown)
            }
            ForEach(Array(L.instruments.broset.items.enumerated()), id: \.offset) { index, item in
                Toggle(isOn: Binding(get: { observed.contains(codes[index]) },
                                     set: { on in if on { observed.insert(codes[index]) } else { observed.remove(codes[index]) } })) {
                    VStack(alignment: .leading) {
                        Text(L.text(item)).font(.title3)
                        Text(L.definition(item)).font(.caption)
                    }
                }
                .frame(minHeight: 56)
            }
            Section {
                Text("\(score.score) – \(L.text(band.label))").font(.title2)
                Text(L.text(band.action))
                if score.planRequired {
                    TextField(L.ui("Plan for at undgå vold", "Plan for avoiding violence"), text: $plan, axis: .vertical)
                }
            }
            if let error { Text(error).foregroundStyle(.red) }
            Button(L.ui("Gem", "Save")) { save() }.disabled(score.planRequired && plan.isEmpty)
            if let saved {
                NavigationLink(L.ui("Registrér kontakten", "Record the contact")) {
                    ContactView(store: store, subject: saved.subject, riskCheck: saved.id)
                }
            }
        }
        .navigationTitle(L.text(L.instruments.broset.name))
    }

    private func save() {
        do {
            let subject: Subject = person.map { .person(id: $0) } ?? .unknown(description: unknown)
            saved = try store.recordRiskCheck(input: RiskCheckInput(subject: subject, observed: codes.filter { observed.contains($0) },
                                                                    plan: plan.isEmpty ? nil : plan, occurredAt: nil))
            error = nil
        } catch { self.error = error.localizedDescription }
    }
}
