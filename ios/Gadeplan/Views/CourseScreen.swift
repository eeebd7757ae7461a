// The person's course (the whole model, issue 18): with none open, opening one (who is
// responsible, from the team's roster; how the citizen was found; the three attachments, each
// optional); with one open, its phase, and closing it with the core's closing reasons (and,
// for a course ever in treatment, where the treatment stood). One open course at a time, the
// phases' order and the reasons are the core's rules; this screen asks. The choices are kept
// in the scene's draft as codes (I28). The found-via and attachment pickers
// (`CourseOpeningPickers`) are this file's, and the correction of an opening uses them too.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct CourseScreen: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.dismiss) private var dismiss
    let personId: String

    struct Context {
        var me: String
        var team: [String]
        var detail: PersonDetail
    }

    @StateObject private var context = Loader<Context>()
    @StateObject private var saver = Saver()
    @SceneStorage("course.person") private var draftPerson = ""
    /// The responsible workers, one a line; empty: the worker alone.
    @SceneStorage("course.responsible") private var responsible = ""
    @SceneStorage("course.foundVia") private var foundVia = ""
    @SceneStorage("course.treatment") private var attachmentTreatment = ""
    @SceneStorage("course.substitution") private var attachmentSubstitution = ""
    @SceneStorage("course.services") private var attachmentServices = ""
    @SceneStorage("course.phase") private var phase = ""
    @SceneStorage("course.closeReason") private var closeReason = ""
    @SceneStorage("course.treatmentStatus") private var treatmentStatus = ""
    @State private var confirmClose = false

    private var words: CourseVocabularies { L.instruments.course }

    var body: some View {
        Form {
            Loaded(loader: context, retry: load) { c in
                if let course = openCourse(c.detail) {
                    openSections(course)
                } else {
                    openingSections(c)
                }
            }
            ErrorSection(error: saver.error)
        }
        .navigationTitle(L.ui("Forløb", "Course"))
        .recordWarnings(saver)
        .onAppear {
            if draftPerson != personId {
                draftPerson = personId
                responsible = ""; foundVia = ""; attachmentTreatment = ""; attachmentSubstitution = ""
                attachmentServices = ""; phase = ""; closeReason = ""; treatmentStatus = ""
            }
        }
        .task(id: model.changes) { await load() }
        .confirmationDialog(L.ui("Afslut forløbet?", "Close the course?"), isPresented: $confirmClose, titleVisibility: .visible) {
            Button(L.ui("Afslut forløbet", "Close the course"), role: .destructive) { close() }
        }
    }

    private func load() async {
        let id = personId
        await context.load(model) { store in
            let me = try store.identity().worker
            let team = try store.roster() ?? []
            return Context(me: me, team: ([me] + team.filter { $0 != me }), detail: try store.person(id: id))
        }
    }

    // MARK: opening

    private var chosen: [String] {
        responsible.split(separator: "\n").map(String.init)
    }

    private func toggle(_ name: String, me: String) {
        var names = chosen.isEmpty ? [me] : chosen
        if let index = names.firstIndex(of: name) { names.remove(at: index) } else { names.append(name) }
        responsible = names.joined(separator: "\n")
    }

    @ViewBuilder private func openingSections(_ c: Context) -> some View {
        Section(L.ui("Ansvarlige", "Responsible")) {
            ForEach(c.team, id: \.self) { name in
                let on = chosen.isEmpty ? name == c.me : chosen.contains(name)
                Button { toggle(name, me: c.me) } label: {
                    HStack {
                        Text(name)
                        Spacer()
                        if on { Image(systemName: "checkmark.circle.fill").foregroundStyle(.tint) }
                    }
                    .frame(minHeight: 44)
                    .contentShape(Rectangle())
                }
                .buttonStyle(.plain)
                .accessibilityAddTraits(on ? .isSelected : [])
            }
        }
        Section(L.ui("Åbn et forløb", "Open a course")) {
            CourseOpeningPickers(foundVia: $foundVia, treatment: $attachmentTreatment,
                                 substitution: $attachmentSubstitution, services: $attachmentServices)
            Button(L.ui("Åbn forløbet", "Open the course")) { open(me: c.me) }
                .buttonStyle(BigButtonStyle())
                .disabled(value(forCode: foundVia, in: Vocab.foundVia) == nil || saver.saving)
        }
    }

    private func open(me: String) {
        guard let via = value(forCode: foundVia, in: Vocab.foundVia) else { return }
        let who = chosen.isEmpty ? [me] : chosen
        let input = CourseInput(person: personId, responsible: who, foundVia: via,
                                attachmentTreatment: value(forCode: attachmentTreatment, in: Vocab.attachmentTreatment),
                                attachmentSubstitution: value(forCode: attachmentSubstitution, in: Vocab.attachmentSubstitution),
                                attachmentServices: value(forCode: attachmentServices, in: Vocab.attachmentServices),
                                occurredAt: nil)
        saver.record(model, .courseOpened(input)) { draftPerson = "" }
    }

    // MARK: the open course

    @ViewBuilder private func openSections(_ course: CourseView) -> some View {
        Section {
            Text(L.label(words.phases, of: course.phase)).font(.headline)
            Text(L.ui("Åbnet ", "Opened ") + L.time(course.openedAt) + " · " + course.responsible.joined(separator: " & "))
                .font(.caption)
            if let guarantee = course.guarantee { Text(guaranteeText(guarantee)).font(.caption) }
        }
        Section(L.ui("Fase", "Phase")) {
            CodePicker(title: L.ui("Ny fase", "New phase"), labels: words.phases, code: $phase)
            Button(L.ui("Sæt fasen", "Set the phase")) { setPhase(course) }
                .buttonStyle(BigButtonStyle())
                .disabled(value(forCode: phase, in: Vocab.coursePhases) == nil
                          || value(forCode: phase, in: Vocab.coursePhases) == course.phase || saver.saving)
        }
        Section(L.ui("Afslut forløbet", "Close the course")) {
            CodePicker(title: L.ui("Årsag", "Reason"), labels: words.closeReasons, code: $closeReason)
            if course.bridged || course.phase == .inTreatment {
                CodePicker(title: L.ui("Behandlingens status", "Treatment status"), labels: words.treatmentStatuses,
                           code: $treatmentStatus, optional: true)
            }
            Button(L.ui("Afslut forløbet", "Close the course"), role: .destructive) { confirmClose = true }
                .buttonStyle(BigButtonStyle(tint: .red))
                .disabled(value(forCode: closeReason, in: Vocab.closeReasons) == nil || saver.saving)
        }
    }

    private func setPhase(_ course: CourseView) {
        guard let chosen = value(forCode: phase, in: Vocab.coursePhases) else { return }
        let input = CoursePhaseInput(person: personId, course: course.id, phase: chosen, occurredAt: nil)
        saver.record(model, .coursePhaseSet(input)) { phase = "" }
    }

    private func close() {
        guard let detail = context.value?.detail, let course = openCourse(detail),
              let reason = value(forCode: closeReason, in: Vocab.closeReasons) else { return }
        let status = (course.bridged || course.phase == .inTreatment)
            ? value(forCode: treatmentStatus, in: Vocab.treatmentStatuses) : nil
        let input = CourseCloseInput(person: personId, course: course.id, reason: reason, treatmentStatus: status, occurredAt: nil)
        saver.record(model, .courseClosed(input)) {
            draftPerson = ""
            dismiss()
        }
    }
}

/// How the citizen was found and the three attachments (each optional), as codes: asked when a
/// course is opened and again when its opening is corrected (CorrectionForms).
struct CourseOpeningPickers: View {
    @Binding var foundVia: String
    @Binding var treatment: String
    @Binding var substitution: String
    @Binding var services: String

    private var words: CourseVocabularies { L.instruments.course }

    var body: some View {
        CodePicker(title: L.ui("Fundet via", "Found via"), labels: words.foundVia, code: $foundVia)
        CodePicker(title: L.ui("Tilknytning til behandling", "Attachment to treatment"), labels: words.attachmentTreatment,
                   code: $treatment, optional: true)
        CodePicker(title: L.ui("Tilknytning til substitution", "Attachment to substitution"), labels: words.attachmentSubstitution,
                   code: $substitution, optional: true)
        CodePicker(title: L.ui("Tilknytning til andre ydelser", "Attachment to other services"), labels: words.attachmentServices,
                   code: $services, optional: true)
    }
}
