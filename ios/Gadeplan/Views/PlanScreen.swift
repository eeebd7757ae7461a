// The initial treatment plan (Bilag 1C, the whole model, issue 18), in the citizen's own words:
// the overall goal regarding intake and its kind, what the citizen wants to achieve, the
// services they think would help, other remarks; the specific goals with the citizen's, the
// others' and the worker's effort; the partners with their phone numbers; and the crisis plan
// ("I tilfælde af akut krise"). Setting the plan again replaces the current one (the core keeps
// every revision). The form starts from the current plan; the draft (texts and the goal kind's
// code) is kept in the scene as JSON, since a plan is too long to lose to a phone call.

import GadeplanCore
import GadeplanKit
import SwiftUI

/// The plan as typed, kept in the scene (`@SceneStorage` takes text, so this is its JSON).
struct PlanDraft: Codable, Equatable {
    struct Goal: Codable, Equatable, Identifiable {
        var id = UUID()
        var goal = ""
        var citizen = ""
        var others = ""
        var worker = ""
        var remarks = ""
    }

    struct Partner: Codable, Equatable, Identifiable {
        var id = UUID()
        var name = ""
        var phone = ""
    }

    var person = ""
    var goal = ""
    var goalKind = ""
    var achieve = ""
    var services = ""
    var remarks = ""
    var crisis = ""
    var goals: [Goal] = []
    var partners: [Partner] = []

    init() {}

    /// The draft of `person` from their current plan (or empty).
    init(person: String, plan: PlanFields?) {
        self.person = person
        guard let plan else { return }
        goal = plan.goal
        goalKind = plan.goalKind.map { code(of: $0) } ?? ""
        achieve = plan.achieve ?? ""
        services = plan.services ?? ""
        remarks = plan.remarks ?? ""
        crisis = plan.crisisPlan ?? ""
        goals = plan.plans.map {
            Goal(goal: $0.goal, citizen: $0.citizenEffort ?? "", others: $0.othersEffort ?? "",
                 worker: $0.workerEffort ?? "", remarks: $0.remarks ?? "")
        }
        partners = plan.partners.map { Partner(name: $0.name, phone: $0.phone ?? "") }
    }

    static func decode(_ text: String) -> PlanDraft? {
        guard let data = text.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(PlanDraft.self, from: data)
    }

    var encoded: String {
        (try? JSONEncoder().encode(self)).flatMap { String(data: $0, encoding: .utf8) } ?? ""
    }

    /// The core's plan fields; specific goals and partners without a goal or a name left out.
    var fields: PlanFields {
        PlanFields(goal: goal.trimmingCharacters(in: .whitespacesAndNewlines),
                   goalKind: value(forCode: goalKind, in: Vocab.goalKinds),
                   achieve: trimmed(achieve), services: trimmed(services), remarks: trimmed(remarks),
                   partners: partners.compactMap { p in trimmed(p.name).map { PlanPartner(name: $0, phone: trimmed(p.phone)) } },
                   plans: goals.compactMap { g in
                       trimmed(g.goal).map {
                           SpecificPlan(goal: $0, citizenEffort: trimmed(g.citizen), othersEffort: trimmed(g.others),
                                        workerEffort: trimmed(g.worker), remarks: trimmed(g.remarks))
                       }
                   },
                   crisisPlan: trimmed(crisis))
    }
}

struct PlanScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String

    @StateObject private var detail = Loader<PersonDetail>()
    @StateObject private var saver = Saver()
    @SceneStorage("plan.draft") private var stored = ""
    @State private var draft = PlanDraft()
    @State private var started = false

    var body: some View {
        Form {
            Loaded(loader: detail, retry: load) { d in
                if openCourse(d) != nil {
                    overall
                    crisis
                    goals
                    partners
                } else {
                    NoOpenCourse(personId: personId)
                }
            }
            ErrorSection(error: saver.error)
        }
        .safeAreaInset(edge: .bottom) {
            if let d = detail.value, openCourse(d) != nil {
                SaveBar(title: L.ui("Gem planen", "Save the plan"), ready: trimmed(draft.goal) != nil,
                        saving: saver.saving, action: save)
            }
        }
        .navigationTitle(L.ui("Behandlingsplan", "Treatment plan"))
        .recordWarnings(saver)
        .task(id: model.changes) { await load() }
        .onChange(of: draft) { _, newValue in
            if started { stored = newValue.encoded }
        }
    }

    private func load() async {
        let id = personId
        await detail.load(model) { try $0.person(id: id) }
        guard !started, let d = detail.value else { return }
        if let kept = PlanDraft.decode(stored), kept.person == personId {
            draft = kept
        } else {
            draft = PlanDraft(person: personId, plan: d.plan?.fields)
        }
        started = true
    }

    private var overall: some View {
        Section(L.ui("Overordnet mål", "Overall goal")) {
            TextField(L.ui("Borgerens overordnede mål i forhold til indtag (påkrævet)", "The citizen's overall goal regarding intake (required)"),
                      text: $draft.goal, axis: .vertical)
            CodePicker(title: L.ui("Slags mål", "Kind of goal"), labels: L.instruments.course.goalKinds, code: $draft.goalKind, optional: true)
            TextField(L.ui("Hvad ønsker borgeren at opnå ved det overordnede mål", "What the citizen wants to achieve by it"),
                      text: $draft.achieve, axis: .vertical)
            TextField(L.ui("Hvilke ydelser vurderer borgeren kan støtte bedst", "Which services the citizen thinks would help most"),
                      text: $draft.services, axis: .vertical)
            TextField(L.ui("Andre bemærkninger og opmærksomhedspunkter", "Other remarks and points of attention"),
                      text: $draft.remarks, axis: .vertical)
        }
    }

    private var crisis: some View {
        Section(L.ui("Kriseplan", "Crisis plan")) {
            TextField(L.ui("I tilfælde af akut krise – hvilke initiativer og hvilken støtte ønsker borgeren",
                           "In an acute crisis – which initiatives and support the citizen wants"),
                      text: $draft.crisis, axis: .vertical)
                .lineLimit(3...8)
        }
    }

    private var goals: some View {
        Section(L.ui("Specifikke mål", "Specific goals")) {
            ForEach($draft.goals) { $goal in
                VStack(alignment: .leading, spacing: 6) {
                    HStack {
                        Text(L.ui("Mål \(number(goal))", "Goal \(number(goal))")).font(.headline)
                        Spacer()
                        Button(role: .destructive) { draft.goals.removeAll { $0.id == goal.id } } label: {
                            SwiftUI.Label(L.ui("Fjern", "Remove"), systemImage: "trash")
                        }
                        .buttonStyle(.borderless)
                        .frame(minHeight: 44)
                    }
                    TextField(L.ui("Specifikt mål", "Specific goal"), text: $goal.goal, axis: .vertical)
                    TextField(L.ui("Borgerens indsats", "The citizen's effort"), text: $goal.citizen, axis: .vertical)
                    TextField(L.ui("Andres indsats", "Others' effort"), text: $goal.others, axis: .vertical)
                    TextField(L.ui("Medarbejderens indsats", "The worker's effort"), text: $goal.worker, axis: .vertical)
                    TextField(L.ui("Eventuelle bemærkninger", "Remarks"), text: $goal.remarks, axis: .vertical)
                }
            }
            Button { draft.goals.append(PlanDraft.Goal()) } label: {
                SwiftUI.Label(L.ui("Tilføj mål", "Add a goal"), systemImage: "plus")
            }
            .frame(minHeight: 56)
        }
    }

    private var partners: some View {
        Section(L.ui("Samarbejdspartnere", "Partners")) {
            ForEach($draft.partners) { $partner in
                HStack {
                    VStack {
                        TextField(L.ui("Navn", "Name"), text: $partner.name).textContentType(.name)
                        TextField(L.ui("Telefon", "Phone"), text: $partner.phone)
                            .keyboardType(.phonePad).textContentType(.telephoneNumber)
                    }
                    Button(role: .destructive) { draft.partners.removeAll { $0.id == partner.id } } label: {
                        Image(systemName: "trash").accessibilityLabel(L.ui("Fjern", "Remove"))
                    }
                    .buttonStyle(.borderless)
                    .frame(minWidth: 44, minHeight: 44)
                }
            }
            Button { draft.partners.append(PlanDraft.Partner()) } label: {
                SwiftUI.Label(L.ui("Tilføj samarbejdspartner", "Add a partner"), systemImage: "plus")
            }
            .frame(minHeight: 56)
        }
    }

    /// The specific goal's number, from 1 (as the evaluation names it).
    private func number(_ goal: PlanDraft.Goal) -> Int {
        (draft.goals.firstIndex { $0.id == goal.id } ?? 0) + 1
    }

    private func save() {
        guard let d = detail.value, let course = openCourse(d), trimmed(draft.goal) != nil else { return }
        let input = PlanInput(person: personId, course: course.id, fields: draft.fields, occurredAt: nil)
        saver.record(model, .planSet(input)) {
            stored = ""
            dismiss()
        }
    }
}
