// The treatment steps of bridge-building (the whole model, issue 18): the citizen's wish for
// treatment, from which the 14-day guarantee counts (the core keeps the count; the person screen
// shows the days left), the visitation (conference or the workers' own right to visit, and its
// result), treatment started (offer, intensity, counsellor), and the handover to the
// counsellor (the plan handed over, no-shows reported back, the support agreed). One step at a
// time, chosen at the top; each step's answers kept in the scene's draft as codes and texts.
// Every record belongs to the person's open course; without one the screen says so.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct TreatmentScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String

    @StateObject private var detail = Loader<PersonDetail>()
    @StateObject private var saver = Saver()
    @SceneStorage("treatment.person") private var draftPerson = ""
    @SceneStorage("treatment.step") private var step = "request"
    @SceneStorage("treatment.visitKind") private var visitKind = ""
    @SceneStorage("treatment.visitResult") private var visitResult = ""
    @SceneStorage("treatment.offer") private var offer = ""
    @SceneStorage("treatment.intensity") private var intensity = ""
    @SceneStorage("treatment.counsellor") private var counsellor = ""
    @SceneStorage("treatment.planHandedOver") private var planHandedOver = true
    @SceneStorage("treatment.notifyNoShows") private var notifyNoShows = true
    @SceneStorage("treatment.support") private var support = ""

    private static let steps = ["request", "visit", "start", "handover"]

    private func stepName(_ code: String) -> String {
        switch code {
        case "visit": return L.ui("Visitation", "Visitation")
        case "start": return L.ui("Startet", "Started")
        case "handover": return L.ui("Overdraget", "Handed over")
        default: return L.ui("Ønske", "Wish")
        }
    }

    var body: some View {
        Form {
            Loaded(loader: detail, retry: load) { d in
                if let course = openCourse(d) {
                    Section {
                        Picker(L.ui("Trin", "Step"), selection: $step) {
                            ForEach(Self.steps, id: \.self) { code in Text(stepName(code)).tag(code) }
                        }
                        .pickerStyle(.segmented)
                        .frame(minHeight: 44)
                    }
                    stepSection(course)
                } else {
                    NoOpenCourse(personId: personId)
                }
            }
            ErrorSection(error: saver.error)
        }
        .safeAreaInset(edge: .bottom) {
            if let d = detail.value, openCourse(d) != nil {
                SaveBar(title: L.ui("Gem", "Save"), ready: ready(openCourse(d)), saving: saver.saving, action: save)
            }
        }
        .navigationTitle(L.ui("Behandling", "Treatment"))
        .recordWarnings(saver)
        .onAppear {
            if draftPerson != personId {
                draftPerson = personId
                step = "request"; visitKind = ""; visitResult = ""; offer = ""; intensity = ""
                counsellor = ""; planHandedOver = true; notifyNoShows = true; support = ""
            }
        }
        .task(id: model.changes) { await load() }
    }

    private func load() async {
        let id = personId
        await detail.load(model) { try $0.person(id: id) }
    }

    @ViewBuilder private func stepSection(_ course: CourseView) -> some View {
        switch step {
        case "visit":
            Section(L.ui("Visitation", "Visitation")) {
                CodePicker(title: L.ui("Hvordan", "How"), labels: L.instruments.course.visitationKinds, code: $visitKind)
                CodePicker(title: L.ui("Resultat", "Result"), labels: L.instruments.course.visitationResults, code: $visitResult)
                TextField(L.ui("Tilbud (valgfrit)", "Offer (optional)"), text: $offer, axis: .vertical)
            }
        case "start":
            Section(L.ui("Behandling startet", "Treatment started")) {
                TextField(L.ui("Tilbud (påkrævet)", "Offer (required)"), text: $offer, axis: .vertical)
                CodePicker(title: L.ui("Intensitet", "Intensity"), labels: L.instruments.course.treatmentIntensities, code: $intensity)
                TextField(L.ui("Behandler (valgfrit)", "Counsellor (optional)"), text: $counsellor).textContentType(.name)
            }
        case "handover":
            Section(L.ui("Overdraget til behandleren", "Handed over to the counsellor")) {
                TextField(L.ui("Behandler (påkrævet)", "Counsellor (required)"), text: $counsellor).textContentType(.name)
                Toggle(L.ui("Behandlingsplanen er overdraget", "The treatment plan is handed over"), isOn: $planHandedOver)
                    .frame(minHeight: 56)
                Toggle(L.ui("Behandleren giver besked ved udeblivelse", "The counsellor tells us of no-shows"), isOn: $notifyNoShows)
                    .frame(minHeight: 56)
                TextField(L.ui("Aftalt støtte i opstarten", "Support agreed for the start"), text: $support, axis: .vertical)
            }
        default:
            Section(L.ui("Borgeren ønsker behandling", "The citizen wishes treatment")) {
                if let guarantee = course.guarantee {
                    Text(guaranteeText(guarantee))
                    Text(L.ui("Ønsket ", "Wished ") + L.time(guarantee.wishedOn)).font(.caption)
                } else {
                    Text(RuleWords.guaranteeStartsToday)
                }
            }
        }
    }

    private func ready(_ course: CourseView?) -> Bool {
        guard let course else { return false }
        switch step {
        case "visit":
            return value(forCode: visitKind, in: Vocab.visitationKinds) != nil
                && value(forCode: visitResult, in: Vocab.visitationResults) != nil
        case "start":
            return trimmed(offer) != nil && value(forCode: intensity, in: Vocab.treatmentIntensities) != nil
        case "handover":
            return trimmed(counsellor) != nil
        default:
            return course.guarantee == nil
        }
    }

    private func save() {
        guard let d = detail.value, let course = openCourse(d), ready(course) else { return }
        let entry: NewEntry
        switch step {
        case "visit":
            guard let kind = value(forCode: visitKind, in: Vocab.visitationKinds),
                  let result = value(forCode: visitResult, in: Vocab.visitationResults) else { return }
            entry = .treatmentVisited(VisitationInput(person: personId, course: course.id, kind: kind, result: result,
                                                      offer: trimmed(offer), occurredAt: nil))
        case "start":
            guard let what = trimmed(offer), let level = value(forCode: intensity, in: Vocab.treatmentIntensities) else { return }
            entry = .treatmentStarted(TreatmentStartInput(person: personId, course: course.id, offer: what, intensity: level,
                                                          counsellor: trimmed(counsellor), occurredAt: nil))
        case "handover":
            guard let who = trimmed(counsellor) else { return }
            entry = .treatmentHandedOver(HandoverInput(person: personId, course: course.id, counsellor: who,
                                                       planHandedOver: planHandedOver, support: trimmed(support),
                                                       notifyNoShows: notifyNoShows, occurredAt: nil))
        default:
            entry = .treatmentRequested(TreatmentRequestInput(person: personId, course: course.id, occurredAt: nil))
        }
        saver.record(model, entry) {
            draftPerson = ""
            dismiss()
        }
    }
}
