// The Brøset check before an approach (review findings I22, I23, I25, I28, M8): six large
// toggles (the definitions one tap away), the score, band and required action at once as the core
// scores them, in the band's colour and words; the plan required, trimmed, when the band is high;
// an unknown citizen's description required, trimmed. The score and Save stay at the bottom of
// the screen. Save records once (disabled while saving and after), then the contact is pushed,
// linked to this check. The draft (the items' codes, the plan, the description) is kept in the
// scene, so a worker who switches to the phone or the camera finds it again.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct RiskCheckScreen: View {
    @EnvironmentObject private var model: AppModel
    @EnvironmentObject private var nav: Navigator
    /// nil: a citizen not known yet, described here.
    let subject: GadeplanCore.Subject?

    @SceneStorage("risk.subject") private var draftSubject = ""
    @SceneStorage("risk.observed") private var observedCodes = ""
    @SceneStorage("risk.plan") private var plan = ""
    @SceneStorage("risk.unknown") private var unknown = ""
    @State private var saving = false
    @State private var saved: RiskCheckRecorded?
    @State private var error: String?

    private var subjectKey: String {
        switch subject {
        case let .person(id)?: return "person:" + id
        case let .unknownCitizen(id)?: return "unknown:" + id
        case let .unknown(description)?: return "new:" + description
        case nil: return "new"
        }
    }

    private var observed: [BrosetItem] {
        let codes = Set(observedCodes.split(separator: ",").map(String.init))
        return Vocab.brosetItems.filter { codes.contains(code(of: $0)) }
    }

    var body: some View {
        let score = scoreRisk(observed: observed)
        let band = L.instruments.broset.bands.first { $0.band == score.band }
        Form {
            if subject == nil {
                Section(L.ui("Hvem", "Who")) {
                    TextField(L.ui("Beskriv borgeren (påkrævet)", "Describe the citizen (required)"), text: $unknown, axis: .vertical)
                        .disabled(saved != nil)
                }
            }
            Section {
                ForEach(L.instruments.broset.items, id: \.code) { item in
                    Toggle(isOn: binding(item.code)) {
                        VStack(alignment: .leading, spacing: 4) {
                            Text(L.text(item)).font(.title3)
                            DisclosureGroup(L.ui("Hvad betyder det", "What it means")) {
                                Text(L.definition(item)).font(.callout)
                            }
                            .font(.caption)
                        }
                    }
                    .frame(minHeight: 60)
                    .disabled(saved != nil)
                }
            } header: {
                Text(L.text(L.instruments.broset.purpose))
            }
            if score.planRequired {
                Section(L.ui("Plan for at undgå vold (påkrævet)", "Plan for avoiding violence (required)")) {
                    TextField(L.ui("Hvem taler, hvem holder øje, hvornår går I", "Who talks, who watches, when you leave"),
                              text: $plan, axis: .vertical)
                        .lineLimit(3...8)
                        .disabled(saved != nil)
                }
            }
            if let error { Section { Text(error).foregroundStyle(.red) } }
        }
        .safeAreaInset(edge: .bottom) {
            VStack(spacing: 8) {
                HStack {
                    Text(L.brosetScore(score.score)).font(.title.bold())
                    if let band { Text(L.text(band.label)).font(.title2.bold()) }
                    Spacer()
                }
                .foregroundStyle(bandColor(score.band))
                .accessibilityElement(children: .combine)
                .accessibilityAddTraits(.updatesFrequently)
                if let band { Text(L.text(band.action)).font(.callout).frame(maxWidth: .infinity, alignment: .leading) }
                Button(saved == nil ? L.ui("Gem vurderingen", "Save the check") : L.ui("Gemt", "Saved")) { save(score) }
                    .buttonStyle(BigButtonStyle(tint: bandColor(score.band)))
                    .disabled(!ready(score) || saving || saved != nil)
            }
            .padding()
            .background(.bar)
        }
        .navigationTitle(L.text(L.instruments.broset.name))
        .onAppear {
            if draftSubject != subjectKey {
                draftSubject = subjectKey
                observedCodes = ""
                plan = ""
                unknown = ""
            }
        }
    }

    private func binding(_ itemCode: String) -> Binding<Bool> {
        Binding(
            get: { observedCodes.split(separator: ",").contains(Substring(itemCode)) },
            set: { on in
                var codes = observedCodes.split(separator: ",").map(String.init).filter { $0 != itemCode }
                if on { codes.append(itemCode) }
                observedCodes = codes.joined(separator: ",")
            })
    }

    private func ready(_ score: BrosetScore) -> Bool {
        if subject == nil && trimmed(unknown) == nil { return false }
        if score.planRequired && trimmed(plan) == nil { return false }
        return true
    }

    private func save(_ score: BrosetScore) {
        guard ready(score), !saving, saved == nil else { return }
        let input = RiskCheckInput(subject: subject ?? .unknown(description: trimmed(unknown) ?? ""),
                                   observed: observed,
                                   plan: score.planRequired ? trimmed(plan) : nil,
                                   occurredAt: nil)
        let person: String?
        if case let .person(id)? = subject { person = id } else { person = nil }
        saving = true
        Task { @MainActor in
            do {
                let recorded = try await model.write { try $0.recordRiskCheck(input: input) }
                saved = recorded
                error = nil
                draftSubject = ""
                observedCodes = ""
                plan = ""
                unknown = ""
                nav.path.append(.contact(person: person, riskCheck: recorded.id))
            } catch {
                self.error = L.error(error)
            }
            saving = false
        }
    }
}
