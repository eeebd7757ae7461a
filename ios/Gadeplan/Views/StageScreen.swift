// The stage of change (Bilag 1B, review finding M10): the worker's judgement in the core's four
// stages (with their texts), and the optional 0–10 scales the core defines (importance,
// confidence, in control of one's life, craving), and the citizen's own recovery goal. The
// stage's code, the scales touched and the goal are kept in the scene's draft (I28), reset when
// the person changes and after a good save.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct StageScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String
    @SceneStorage("stage.person") private var draftPerson = ""
    @SceneStorage("stage.stage") private var stage = ""
    /// The scales answered, "code=value" pairs separated by ";" (a scale not touched is not sent).
    @SceneStorage("stage.scales") private var scaleDraft = ""
    @SceneStorage("stage.goal") private var goal = ""
    @State private var saving = false
    @State private var error: String?

    private var defs: StagesDefinition { L.instruments.stages }

    var body: some View {
        Form {
            Section(L.text(defs.name)) {
                ForEach(defs.stages, id: \.code) { item in
                    Button {
                        stage = item.code
                    } label: {
                        HStack(alignment: .top) {
                            VStack(alignment: .leading, spacing: 4) {
                                Text(L.text(item)).font(.headline)
                                Text(L.definition(item)).font(.caption).foregroundStyle(.secondary)
                            }
                            Spacer()
                            if stage == item.code { Image(systemName: "checkmark.circle.fill").foregroundStyle(.tint) }
                        }
                        .frame(minHeight: 56)
                    }
                    .buttonStyle(.plain)
                    .accessibilityAddTraits(stage == item.code ? .isSelected : [])
                }
            }
            Section(L.ui("Skalaer (valgfrit)", "Scales (optional)")) {
                ForEach(defs.scales, id: \.code) { scale in
                    VStack(alignment: .leading) {
                        Text(L.language == .english ? scale.questionEn : scale.questionDa).font(.callout)
                        HStack {
                            Slider(value: Binding(get: { scales[scale.code] ?? Double(scale.min) },
                                                  set: { setScale(scale.code, $0.rounded()) }),
                                   in: Double(scale.min)...Double(scale.max), step: 1)
                            Text(scales[scale.code].map { String(Int($0)) } ?? "–").frame(minWidth: 32)
                        }
                    }
                }
                TextField(L.ui("Borgerens eget mål", "The citizen's own goal"), text: $goal, axis: .vertical)
            }
            if let error { Section { Text(error).foregroundStyle(.red) } }
        }
        .safeAreaInset(edge: .bottom) {
            Button(L.ui("Gem stadiet", "Save the stage"), action: save)
                .buttonStyle(BigButtonStyle())
                .disabled(stage.isEmpty || saving)
                .padding()
                .background(.bar)
        }
        .navigationTitle(L.ui("Forandringsstadie", "Stage of change"))
        .onAppear {
            if draftPerson != personId {
                draftPerson = personId
                stage = ""; scaleDraft = ""; goal = ""
            }
        }
    }

    /// The scales answered so far, from the draft.
    private var scales: [String: Double] {
        var out: [String: Double] = [:]
        for pair in scaleDraft.split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let number = Double(parts[1]) { out[String(parts[0])] = number }
        }
        return out
    }

    private func setScale(_ code: String, _ number: Double) {
        var pairs = scaleDraft.split(separator: ";").map(String.init).filter { !$0.hasPrefix(code + "=") }
        pairs.append(code + "=" + String(Int(number)))
        scaleDraft = pairs.joined(separator: ";")
    }

    private func scale(_ code: String) -> UInt8? {
        scales[code].map { UInt8(max(0, min(255, $0))) }
    }

    private func save() {
        guard let chosen = value(forCode: stage, in: Vocab.stages), !saving else { return }
        let input = StageInput(person: personId, stage: chosen, importance: scale("importance"),
                               confidence: scale("confidence"), occurredAt: nil, recoveryGoal: trimmed(goal),
                               lifeControl: scale("life-control"), craving: scale("craving"))
        saving = true
        Task { @MainActor in
            do {
                _ = try await model.write { try $0.recordStage(input: input) }
                draftPerson = ""
                dismiss()
            } catch {
                self.error = L.error(error)
            }
            saving = false
        }
    }
}
