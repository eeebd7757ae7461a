// A person's screen (the whole model, review findings M8–M10, I20): the current Brøset band or
// "Ingen aktuel risikovurdering" with the check one tap away; the stage of change, the
// conversations and their contact intensity (the core's words), the screening, the course and
// its phase, the treatment guarantee's countdown; the plan with the crisis plan and the partners'
// and network's phone numbers as tel: links (offline: they are on the phone), and the plan's
// handover document to share after a warning (PlanShare); the questionnaires due; details two
// colleagues changed apart, settled with "Vælg værdi"; and the timeline, newest first, each
// record marked when not yet sent or refused by the centre, corrected or voided, and opened for
// correcting or voiding. "Ikke sendt" with the count of the person's records not yet at the
// centre (the core's PersonSummary.notSent); every recording screen of the course (course,
// treatment, bridging, plan, evaluation, questionnaire, network, consents) one tap away.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct PersonScreen: View {
    @EnvironmentObject private var model: AppModel
    let personId: String
    @StateObject private var detail = Loader<PersonDetail>()

    var body: some View {
        List {
            Loaded(loader: detail, retry: load) { d in
                summary(d)
                actions
                if !d.conflicts.isEmpty { ConflictsSection(personId: personId, conflicts: d.conflicts) }
                courses(d)
                plan(d)
                consents(d)
                timeline(d)
            }
        }
        .navigationTitle(detail.value?.person.alias ?? "")
        .task(id: model.changes) { await load() }
    }

    private func load() async {
        let id = personId
        await detail.load(model) { try $0.person(id: id) }
    }

    @ViewBuilder private func summary(_ d: PersonDetail) -> some View {
        let p = d.person
        Section {
            if let description = p.description { Text(description) }
            if let year = p.birthYear { Text(L.ui("Født \(year)", "Born \(year)")).foregroundStyle(.secondary) }
            if let band = p.risk {
                HStack {
                    BandBadge(band: band)
                    if let at = p.riskCheckedAt { Text(L.ui("vurderet ", "checked ") + L.time(at)).font(.caption) }
                }
            } else {
                SwiftUI.Label(L.ui("Ingen aktuel risikovurdering", "No current risk check"), systemImage: "exclamationmark.triangle.fill")
                    .foregroundStyle(.orange)
            }
            if let stage = p.stage {
                Text(L.ui("Forandringsstadie: ", "Stage of change: ") + stageName(stage)
                     + (p.stageAt.map { " (" + L.time($0) + ")" } ?? ""))
            }
            // The contact intensity in the core's words (its class of the last 30 days' conversations).
            VStack(alignment: .leading, spacing: 2) {
                Text(L.ui("Samtaler: \(p.intensity.conversations14Days) på 14 dage, \(p.intensity.conversations30Days) på 30 dage",
                          "Conversations: \(p.intensity.conversations14Days) in 14 days, \(p.intensity.conversations30Days) in 30 days"))
                Text(L.label(L.instruments.course.contactIntensities, of: p.intensity.`class`)).font(.caption).foregroundStyle(.secondary)
            }
            if let screening = p.screening {
                Text(L.ui("Forscreening: ", "Pre-screening: ") + L.label(L.instruments.screening.decisions, of: screening))
            }
            if let phase = p.coursePhase {
                Text(L.ui("Forløb: ", "Course: ") + L.label(L.instruments.course.phases, of: phase))
            }
            if let guarantee = p.guarantee {
                Text(guaranteeText(guarantee)).foregroundStyle(guaranteeColor(guarantee))
            }
            ForEach(Array(p.questionnairesDue.enumerated()), id: \.offset) { _, due in
                NavigationLink(value: Dest.questionnaire(person: personId, instrument: GadeplanKit.code(of: due.instrument),
                                                         occasion: GadeplanKit.code(of: due.occasion))) {
                    VStack(alignment: .leading, spacing: 2) {
                        SwiftUI.Label(L.text(due.label), systemImage: "list.number").foregroundStyle(.orange)
                        Text(L.ui("Skal udfyldes siden ", "Due since ") + L.time(due.since)).font(.caption)
                    }
                }
                .frame(minHeight: 44)
            }
            NotSentMark(count: p.notSent)
        }
    }

    @ViewBuilder private var actions: some View {
        Section {
            DestLink(Dest.editPerson(personId), L.ui("Ret oplysninger", "Change details"), systemImage: "pencil")
            DestLink(Dest.riskCheck(.person(id: personId)), L.ui("Ny risikovurdering", "New risk check"), systemImage: "exclamationmark.shield")
            DestLink(Dest.contact(person: personId, riskCheck: nil), L.ui("Kontakt", "Contact"), systemImage: "person.2")
            DestLink(Dest.screening(personId), L.ui("Forscreening", "Pre-screening"), systemImage: "checklist")
            DestLink(Dest.stage(personId), L.ui("Forandringsstadie", "Stage of change"), systemImage: "arrow.triangle.2.circlepath")
            DestLink(Dest.checkin(person: personId), L.ui("Tjek-ind (hjemmebesøg)", "Check-in (home visit)"), systemImage: "timer")
            DestLink(Dest.incident(person: personId), L.ui("Hændelse", "Incident"), systemImage: "exclamationmark.bubble")
        }
        .frame(minHeight: 44)
        Section(L.ui("Forløbet", "The course")) {
            DestLink(Dest.course(personId), L.ui("Forløb: åbn, fase, afslut", "Course: open, phase, close"), systemImage: "folder")
            DestLink(Dest.treatment(personId), L.ui("Behandling: ønske, visitation, start, overdragelse", "Treatment: wish, visitation, start, handover"), systemImage: "cross.case")
            DestLink(Dest.bridge(personId), L.ui("Brobygning til andre tilbud", "Bridging to other services"), systemImage: "point.3.connected.trianglepath.dotted")
            DestLink(Dest.plan(personId), L.ui("Behandlingsplan og kriseplan", "Treatment plan and crisis plan"), systemImage: "list.bullet.clipboard")
            DestLink(Dest.evaluation(personId), L.ui("Evaluering og samarbejde", "Evaluation and cooperation"), systemImage: "checkmark.seal")
            DestLink(Dest.questionnaire(person: personId, instrument: nil, occasion: nil), L.ui("Spørgeskema", "Questionnaire"), systemImage: "list.number")
            DestLink(Dest.network(personId), L.ui("Netværk", "Network"), systemImage: "person.3")
            DestLink(Dest.consents(personId), L.ui("Samtykker og videregivelser", "Consents and disclosures"), systemImage: "hand.raised")
        }
        .frame(minHeight: 44)
    }

    @ViewBuilder private func courses(_ d: PersonDetail) -> some View {
        if !d.courses.isEmpty {
            Section(L.ui("Forløb", "Course")) {
                ForEach(d.courses, id: \.id) { course in
                    VStack(alignment: .leading, spacing: 4) {
                        Text(L.label(L.instruments.course.phases, of: course.phase)).font(.headline)
                        Text(L.ui("Åbnet ", "Opened ") + L.time(course.openedAt)
                             + (course.closedAt.map { " · " + L.ui("lukket ", "closed ") + L.time($0) } ?? ""))
                            .font(.caption)
                        if !course.responsible.isEmpty {
                            Text(L.ui("Ansvarlige: ", "Responsible: ") + course.responsible.joined(separator: ", ")).font(.caption)
                        }
                        if let guarantee = course.guarantee { Text(guaranteeText(guarantee)).font(.caption) }
                    }
                }
            }
        }
    }

    @ViewBuilder private func plan(_ d: PersonDetail) -> some View {
        if let plan = d.plan {
            Section(L.ui("Behandlingsplan", "Treatment plan")) {
                Text(plan.fields.goal).font(.headline)
                if let crisis = plan.fields.crisisPlan {
                    VStack(alignment: .leading) {
                        Text(L.ui("Kriseplan", "Crisis plan")).font(.caption).foregroundStyle(.secondary)
                        Text(crisis).foregroundStyle(.red)
                    }
                }
                ForEach(Array(plan.fields.plans.enumerated()), id: \.offset) { _, specific in
                    Text("• " + specific.goal)
                }
                ForEach(Array(plan.fields.partners.enumerated()), id: \.offset) { _, partner in
                    PhoneRow(name: partner.name, detail: nil, phone: partner.phone)
                }
                PlanShareRow(personId: personId)
            }
        }
        if !d.network.isEmpty {
            Section(L.ui("Netværk", "Network")) {
                ForEach(d.network, id: \.entryId) { member in
                    PhoneRow(name: member.member.name,
                             detail: [L.text(member.member.roleLabel), member.member.organisation].compactMap { $0 }.joined(separator: ", "),
                             phone: member.member.phone)
                }
            }
        }
    }

    @ViewBuilder private func consents(_ d: PersonDetail) -> some View {
        let inForce = d.consents.filter(\.inForce)
        if !inForce.isEmpty {
            Section(L.ui("Samtykker i kraft", "Consents in force")) {
                ForEach(inForce, id: \.entryId) { consent in
                    VStack(alignment: .leading, spacing: 2) {
                        Text(consent.toWhom).font(.headline)
                        Text(consent.about).font(.caption)
                    }
                }
            }
        }
    }

    @ViewBuilder private func timeline(_ d: PersonDetail) -> some View {
        Section(L.ui("Tidslinje", "Timeline")) {
            ForEach(Array(d.timeline.reversed()), id: \.id) { item in
                NavigationLink(value: Dest.entry(item.id)) { TimelineRow(item: item) }
            }
        }
    }
}

func stageName(_ stage: Stage) -> String {
    let code = GadeplanKit.code(of: stage)
    return L.instruments.stages.stages.first { $0.code == code }.map { L.text($0) } ?? code
}

/// "Ikke sendt": how many of a person's records are not at the centre yet; nothing when none.
struct NotSentMark: View {
    let count: UInt32

    var body: some View {
        if count > 0 {
            SwiftUI.Label(L.ui("Ikke sendt: \(count)", "Not sent: \(count)"), systemImage: "icloud.slash")
                .font(.caption).foregroundStyle(.orange)
                .accessibilityLabel(L.ui("\(count) registreringer ikke sendt til centret", "\(count) records not sent to the centre"))
        }
    }
}

/// A name with a phone number one tap away (tel:), or the name alone.
struct PhoneRow: View {
    let name: String
    let detail: String?
    let phone: String?

    var body: some View {
        HStack {
            VStack(alignment: .leading) {
                Text(name)
                if let detail, !detail.isEmpty { Text(detail).font(.caption).foregroundStyle(.secondary) }
            }
            Spacer()
            if let phone, let url = telURL(phone) {
                Link(destination: url) {
                    SwiftUI.Label(phone, systemImage: "phone.fill")
                }
                .buttonStyle(.bordered)
                .frame(minHeight: 56)
            }
        }
    }
}

/// A tel: link for a phone number; nil when the text holds no digits.
func telURL(_ phone: String) -> URL? {
    let digits = phone.filter { $0.isNumber || $0 == "+" }
    return digits.isEmpty ? nil : URL(string: "tel:" + digits)
}

/// One record of a timeline or a log: what it says, when, by whom, and its marks.
struct TimelineRow: View {
    let item: TimelineItem

    var body: some View {
        VStack(alignment: .leading, spacing: 4) {
            Text(L.text(item.title)).font(.headline).strikethrough(item.voidedBy != nil)
            if let line = Contents.line(item.content) { Text(line).strikethrough(item.voidedBy != nil) }
            Text(L.time(item.occurredAt) + " · " + item.authorWorker).font(.caption).foregroundStyle(.secondary)
            SyncMark(state: item.syncState)
            if !item.amendedBy.isEmpty { Text(L.ui("Rettet", "Corrected")).font(.caption2).foregroundStyle(.blue) }
            if let reason = item.voidReason { Text(L.ui("Annulleret: ", "Voided: ") + reason).font(.caption2).foregroundStyle(.red) }
        }
        .accessibilityElement(children: .combine)
    }
}

/// Details two colleagues changed apart: each value, and "Vælg værdi" to settle on one.
struct ConflictsSection: View {
    @EnvironmentObject private var model: AppModel
    let personId: String
    let conflicts: [AttributeConflict]
    @State private var error: String?
    @State private var saving = false

    var body: some View {
        Section(L.ui("Uafklarede oplysninger", "Unsettled details")) {
            ForEach(conflicts, id: \.attribute) { conflict in
                VStack(alignment: .leading, spacing: 8) {
                    Text(L.text(conflict.label)).font(.headline)
                    ForEach(conflict.values, id: \.entryId) { value in
                        HStack {
                            VStack(alignment: .leading) {
                                Text(Contents.value(value.typed))
                                Text(value.authorWorker + " · " + L.time(value.recordedAt)).font(.caption)
                            }
                            Spacer()
                            Button(L.ui("Vælg værdi", "Choose value")) { choose(conflict.attribute, value.typed) }
                                .buttonStyle(.bordered)
                                .frame(minHeight: 44)
                                .disabled(saving)
                        }
                    }
                }
            }
            if let error { Text(error).foregroundStyle(.red) }
        }
    }

    private func choose(_ attribute: String, _ value: AttributeValue) {
        var update = PersonUpdate(person: personId, alias: nil, description: nil, birthYear: nil, clearBirthYear: false)
        switch (attribute, value) {
        case let ("alias", .text(text)): update.alias = text
        case let ("description", .text(text)): update.description = text
        case ("description", .cleared): update.description = ""
        case let ("birth_year", .year(year)): update.birthYear = year
        case ("birth_year", .cleared): update.clearBirthYear = true
        default: return
        }
        saving = true
        Task { @MainActor in
            do {
                _ = try await model.write { try $0.updatePerson(input: update) }
                error = nil
            } catch {
                self.error = L.error(error)
            }
            saving = false
        }
    }
}
