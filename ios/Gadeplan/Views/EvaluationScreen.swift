// Evaluating the treatment plan (Bilag 1C, the whole model, issue 18): for a specific goal of
// the current plan, "Er målet nået" in the core's six answers, whether the citizen has come
// closer to the overall goal and the worker's comments; or the cooperation in words (the
// citizen's satisfaction and both sides' comments). The earlier evaluations are listed. Both
// belong to the open course's current plan; the core refuses a goal the plan does not have.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct EvaluationScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String

    @StateObject private var detail = Loader<PersonDetail>()
    @StateObject private var saver = Saver()
    @SceneStorage("evaluation.person") private var draftPerson = ""
    /// "goal" (a specific goal) or "cooperation".
    @SceneStorage("evaluation.mode") private var mode = "goal"
    @SceneStorage("evaluation.goal") private var goal = 0
    @SceneStorage("evaluation.reached") private var reached = ""
    @SceneStorage("evaluation.closer") private var closer = ""
    @SceneStorage("evaluation.comment") private var comment = ""
    @SceneStorage("evaluation.satisfaction") private var satisfaction = ""
    @SceneStorage("evaluation.citizen") private var citizenComments = ""
    @SceneStorage("evaluation.worker") private var workerComments = ""

    var body: some View {
        Form {
            Loaded(loader: detail, retry: load) { d in
                if openCourse(d) == nil {
                    NoOpenCourse(personId: personId)
                } else if let plan = d.plan {
                    ModeSection(title: L.ui("Hvad", "What"), mode: $mode,
                                modes: [("goal", L.ui("Mål", "Goal")), ("cooperation", L.ui("Samarbejde", "Cooperation"))])
                    if mode == "cooperation" { cooperation } else { evaluation(plan) }
                    earlier(plan)
                } else {
                    Section {
                        Text(L.ui("Der er ingen behandlingsplan at evaluere endnu.", "There is no treatment plan to evaluate yet."))
                        NavigationLink(value: Dest.plan(personId)) { Text(L.ui("Lav planen", "Make the plan")) }
                            .frame(minHeight: 56)
                    }
                }
            }
            ErrorSection(error: saver.error)
        }
        .safeAreaInset(edge: .bottom) {
            if let d = detail.value, openCourse(d) != nil, d.plan != nil {
                SaveBar(title: L.ui("Gem", "Save"), ready: ready(d.plan), saving: saver.saving, action: save)
            }
        }
        .navigationTitle(L.ui("Evaluering", "Evaluation"))
        .recordWarnings(saver)
        .onAppear {
            if draftPerson != personId {
                draftPerson = personId
                mode = "goal"; goal = 0; reached = ""; closer = ""; comment = ""
                satisfaction = ""; citizenComments = ""; workerComments = ""
            }
        }
        .task(id: model.changes) { await load() }
    }

    private func load() async {
        let id = personId
        await detail.load(model) { try $0.person(id: id) }
    }

    @ViewBuilder private func evaluation(_ plan: PlanView) -> some View {
        Section(L.ui("Er målet nået", "Is the goal reached")) {
            Picker(L.ui("Specifikt mål", "Specific goal"), selection: $goal) {
                Text("–").tag(0)
                ForEach(Array(plan.fields.plans.enumerated()), id: \.offset) { index, specific in
                    Text("\(index + 1). \(specific.goal)").tag(index + 1)
                }
            }
            .pickerStyle(.navigationLink)
            .frame(minHeight: 44)
            CodePicker(title: L.ui("Er målet nået", "Is the goal reached"), labels: L.instruments.course.goalReached, code: $reached)
            TextField(L.ui("Er borgeren kommet nærmere sit overordnede mål", "Has the citizen come closer to the overall goal"),
                      text: $closer, axis: .vertical)
            TextField(L.ui("Kommentarer fra medarbejder", "The worker's comments"), text: $comment, axis: .vertical)
        }
    }

    private var cooperation: some View {
        Section(L.ui("Samarbejdet", "The cooperation")) {
            TextField(L.ui("Borgerens tilfredshed med samarbejdet", "The citizen's satisfaction with the cooperation"),
                      text: $satisfaction, axis: .vertical)
            TextField(L.ui("Kommentarer fra borgeren", "The citizen's comments"), text: $citizenComments, axis: .vertical)
            TextField(L.ui("Kommentarer fra medarbejderen", "The worker's comments"), text: $workerComments, axis: .vertical)
        }
    }

    @ViewBuilder private func earlier(_ plan: PlanView) -> some View {
        if !plan.evaluations.isEmpty {
            Section(L.ui("Tidligere evalueringer", "Earlier evaluations")) {
                ForEach(plan.evaluations, id: \.entryId) { e in
                    VStack(alignment: .leading, spacing: 2) {
                        Text(L.ui("Mål \(e.goal): ", "Goal \(e.goal): ") + L.label(L.instruments.course.goalReached, of: e.reached))
                        Text(L.time(e.at)).font(.caption).foregroundStyle(.secondary)
                    }
                }
            }
        }
    }

    private func ready(_ plan: PlanView?) -> Bool {
        guard let plan else { return false }
        if mode == "cooperation" {
            return trimmed(satisfaction) != nil || trimmed(citizenComments) != nil || trimmed(workerComments) != nil
        }
        return goal >= 1 && goal <= plan.fields.plans.count && value(forCode: reached, in: Vocab.goalReached) != nil
    }

    private func save() {
        guard let d = detail.value, let course = openCourse(d), ready(d.plan) else { return }
        let entry: NewEntry
        if mode == "cooperation" {
            entry = .cooperationNoted(CooperationInput(person: personId, course: course.id, satisfaction: trimmed(satisfaction),
                                                       citizenComments: trimmed(citizenComments),
                                                       workerComments: trimmed(workerComments), occurredAt: nil))
        } else {
            guard let answer = value(forCode: reached, in: Vocab.goalReached) else { return }
            entry = .planEvaluated(EvaluationInput(person: personId, course: course.id, goal: UInt32(goal), reached: answer,
                                                   closer: trimmed(closer), comment: trimmed(comment), occurredAt: nil))
        }
        saver.record(model, entry) {
            draftPerson = ""
            dismiss()
        }
    }
}
