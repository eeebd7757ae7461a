// A questionnaire of the course (the whole model, issue 18): motivation, the drug situation,
// physical and mental health, each by the core's definition (`instrumentDefinitions()
// .questionnaires`: its question, when it is asked, its items with their scales and anchors'
// words). The due ones are shown with the day they fell due, and open this screen on their
// instrument and occasion; any item may stay unanswered, or the whole be marked not possible
// with the reason. Baseline or follow-up: the due list's, the worker's, or (left open) the
// core's own choice by the course. Answers kept in the scene's draft as "item=value" codes.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct QuestionnaireScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String
    /// The instrument's and the occasion's codes, when opened from a due questionnaire.
    let instrument: String?
    let occasion: String?

    @StateObject private var detail = Loader<PersonDetail>()
    @StateObject private var saver = Saver()
    @SceneStorage("questionnaire.key") private var draftKey = ""
    @SceneStorage("questionnaire.instrument") private var chosenInstrument = ""
    @SceneStorage("questionnaire.occasion") private var chosenOccasion = ""
    /// "item=value" pairs, separated by ";".
    @SceneStorage("questionnaire.answers") private var answers = ""
    @SceneStorage("questionnaire.notPossible") private var notPossible = ""

    private var key: String { personId + "/" + (instrument ?? "-") + "/" + (occasion ?? "-") }

    private var definition: QuestionnaireDefinition? {
        L.instruments.questionnaires.first { code(of: $0.instrument) == chosenInstrument }
    }

    var body: some View {
        Form {
            Loaded(loader: detail, retry: load) { d in due(d) }
            Section {
                Picker(L.ui("Spørgeskema", "Questionnaire"), selection: $chosenInstrument) {
                    if chosenInstrument.isEmpty { Text("–").tag("") }
                    ForEach(L.instruments.questionnaires, id: \.name.code) { q in
                        Text(L.text(q.name)).tag(code(of: q.instrument))
                    }
                }
                .pickerStyle(.navigationLink)
                .frame(minHeight: 44)
                if let definition {
                    Picker(L.ui("Måling", "Occasion"), selection: $chosenOccasion) {
                        Text(L.ui("Efter forløbet", "By the course")).tag("")
                        ForEach(definition.occasions, id: \.code) { Text(L.text($0)).tag($0.code) }
                    }
                    .frame(minHeight: 44)
                    Text(L.text(definition.when)).font(.caption).foregroundStyle(.secondary)
                }
            }
            if let definition {
                if let question = definition.question { Section { Text(L.text(question)).font(.headline) } }
                ForEach(definition.items, id: \.code) { item in itemSection(item) }
                Section(L.ui("Ikke muligt at udfylde", "Not possible to fill in")) {
                    TextField(L.ui("Hvorfor (i stedet for svarene)", "Why (instead of the answers)"), text: $notPossible, axis: .vertical)
                }
            }
            ErrorSection(error: saver.error)
        }
        .safeAreaInset(edge: .bottom) {
            SaveBar(title: L.ui("Gem spørgeskemaet", "Save the questionnaire"), ready: ready, saving: saver.saving, action: save)
        }
        .navigationTitle(definition.map { L.text($0.name) } ?? L.ui("Spørgeskema", "Questionnaire"))
        .recordWarnings(saver)
        .onAppear {
            if draftKey != key {
                draftKey = key
                chosenInstrument = instrument ?? ""
                chosenOccasion = occasion ?? ""
                answers = ""; notPossible = ""
            }
        }
        .task(id: model.changes) { await load() }
        .onChange(of: chosenInstrument) { old, new in
            // Another questionnaire: the answers given to the one before are not its answers.
            if !old.isEmpty, old != new { answers = "" }
        }
    }

    private func load() async {
        let id = personId
        await detail.load(model) { try $0.person(id: id) }
    }

    @ViewBuilder private func due(_ d: PersonDetail) -> some View {
        if !d.person.questionnairesDue.isEmpty {
            Section(L.ui("Skal udfyldes", "Due")) {
                ForEach(Array(d.person.questionnairesDue.enumerated()), id: \.offset) { _, q in
                    Button {
                        chosenInstrument = code(of: q.instrument)
                        chosenOccasion = code(of: q.occasion)
                    } label: {
                        VStack(alignment: .leading, spacing: 2) {
                            Text(L.text(q.label))
                            Text(L.ui("Siden ", "Since ") + L.time(q.since)).font(.caption).foregroundStyle(.secondary)
                        }
                        .frame(maxWidth: .infinity, minHeight: 44, alignment: .leading)
                        .contentShape(Rectangle())
                    }
                    .buttonStyle(.plain)
                }
            }
        }
    }

    // MARK: answers

    private func answer(_ item: String) -> UInt8? {
        answers.split(separator: ";").first { $0.hasPrefix(item + "=") }
            .flatMap { UInt8($0.dropFirst(item.count + 1)) }
    }

    private func set(_ item: String, _ value: UInt8?) {
        var pairs = answers.split(separator: ";").map(String.init).filter { !$0.hasPrefix(item + "=") }
        if let value { pairs.append(item + "=" + String(value)) }
        answers = pairs.joined(separator: ";")
    }

    private func itemSection(_ item: QuestionnaireItem) -> some View {
        let chosen = answer(item.code)
        return Section {
            Text(L.language == .english ? item.en : item.da).font(.callout)
            LazyVGrid(columns: [GridItem(.adaptive(minimum: 52), spacing: 8)], spacing: 8) {
                ForEach(Array(item.min...item.max), id: \.self) { v in
                    Button {
                        set(item.code, chosen == v ? nil : v)
                    } label: {
                        Text(String(v))
                            .font(.headline)
                            .frame(maxWidth: .infinity, minHeight: 52)
                            .background(chosen == v ? Color.accentColor : Color.secondary.opacity(0.15),
                                        in: RoundedRectangle(cornerRadius: 10))
                            .foregroundStyle(chosen == v ? Color.white : Color.primary)
                    }
                    .buttonStyle(.plain)
                    .accessibilityAddTraits(chosen == v ? .isSelected : [])
                }
            }
            if !item.anchors.isEmpty {
                Text(item.anchors.map { "\($0.value): " + (L.language == .english ? $0.en : $0.da) }.joined(separator: " · "))
                    .font(.caption).foregroundStyle(.secondary)
            }
        }
        .disabled(trimmed(notPossible) != nil)
    }

    /// A reason it was not possible, or at least one answer to this questionnaire's own items
    /// (answers kept from another questionnaire do not count).
    private var ready: Bool {
        guard let definition else { return false }
        return trimmed(notPossible) != nil || definition.items.contains { answer($0.code) != nil }
    }

    private func save() {
        guard let definition, ready else { return }
        let reason = trimmed(notPossible)
        let input = QuestionnaireInput(
            person: personId, course: nil, instrument: definition.instrument,
            occasion: value(forCode: chosenOccasion, in: Vocab.occasions),
            answers: reason != nil ? [] : definition.items.map { answer($0.code) },
            notPossible: reason, occurredAt: nil)
        saver.record(model, .questionnaireRecorded(input)) {
            draftKey = ""
            dismiss()
        }
    }
}
