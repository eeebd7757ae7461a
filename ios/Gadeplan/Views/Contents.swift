// One line of what a timeline entry says, from its typed content (the core's EntryContent): the
// app never reads an entry's JSON. The same words as Android's ui/Contents.kt.

import Foundation
import GadeplanCore

enum Contents {
    /// What the entry says beyond its title, on one line; nil where the title says it all.
    static func line(_ content: EntryContent) -> String? {
        switch content {
        case let .personNoted(c):
            return join(c.description, c.birthYear.map { String($0) })
        case let .personUpdated(c):
            return join(c.changes.map { attribute($0.attribute) + ": " + value($0.value) }.joined(separator: " · "))
        case .personMerged:
            return nil
        case let .riskChecked(c):
            return join(L.brosetScore(c.score), c.unknown, c.plan)
        case let .contactLogged(c):
            return join(c.place, c.minutes.map { "\($0) min" },
                        c.colleague.map { L.ui("med \($0)", "with \($0)") } ?? L.ui("alene", "alone"), c.note)
        case let .screeningRecorded(c):
            return join(c.reason, c.referredTo)
        case let .stageAssessed(c):
            return join(c.recoveryGoal,
                        c.importance.map { L.ui("vigtighed \($0)", "importance \($0)") },
                        c.confidence.map { L.ui("tiltro \($0)", "confidence \($0)") },
                        c.lifeControl.map { L.ui("styr på livet \($0)", "in control \($0)") },
                        c.craving.map { L.ui("trang \($0)", "craving \($0)") },
                        c.instrumentVersion == 1 ? L.ui("version 1", "version 1") : nil)
        case let .courseOpened(c):
            return join(c.responsible.joined(separator: " & "), L.text(c.foundViaLabel))
        case let .coursePhaseSet(c):
            return L.text(c.phaseLabel)
        case let .courseClosed(c):
            return join(L.text(c.reasonLabel), c.treatmentStatusLabel.map { L.text($0) })
        case .treatmentRequested:
            return nil
        case let .treatmentVisited(c):
            return join(L.text(c.kindLabel), L.text(c.resultLabel), c.offer)
        case let .treatmentStarted(c):
            return join(c.offer, L.text(c.intensityLabel), c.counsellor)
        case let .treatmentHandedOver(c):
            return join(c.counsellor,
                        c.planHandedOver ? L.ui("plan overdraget", "plan handed over") : nil,
                        c.notifyNoShows ? L.ui("giver besked ved udeblivelse", "tells us of no-shows") : nil,
                        c.support)
        case let .serviceBridged(c):
            return join(L.text(c.serviceLabel), L.text(c.statusLabel), c.contact)
        case let .networkNoted(c):
            return join(L.text(c.roleLabel), c.name, c.organisation, c.phone)
        case let .consentGiven(c):
            return join(c.toWhom, c.about, L.text(c.formLabel))
        case .consentWithdrawn:
            return nil
        case let .disclosureMade(c):
            return join(c.toWhom, c.what)
        case let .planSet(c):
            return join(c.fields.goal, c.fields.crisisPlan)
        case let .planEvaluated(c):
            return join(String(c.goal), L.text(c.reachedLabel), c.comment)
        case let .cooperationNoted(c):
            return join(c.satisfaction, c.citizenComments, c.workerComments)
        case let .incidentRecorded(c):
            return join(L.text(c.kindLabel), c.unknown, c.place,
                        c.policeCalled ? L.ui("politiet tilkaldt", "police called") : nil,
                        c.centreCalled ? L.ui("centret kontaktet", "centre called") : nil,
                        c.workers.isEmpty ? nil : L.ui("med \(c.workers.joined(separator: ", "))", "with \(c.workers.joined(separator: ", "))"),
                        c.note)
        case let .areaNoted(c):
            return join(c.name, L.text(c.priorityLabel), c.times, c.note)
        case let .placeNoted(c):
            return join(c.name, L.text(c.kindLabel), L.text(c.ruleLabel), c.call, c.address, c.note)
        case let .roundPlanned(c):
            return join(c.name, "\(L.text(c.weekdayLabel)) \(c.time)",
                        L.ui("\(c.places.count) steder", "\(c.places.count) places"), c.note)
        case let .checkinStarted(c):
            return join(L.text(c.reasonLabel), c.place,
                        L.ui("\(c.minutes) min, \(c.watcher) holder øje", "\(c.minutes) min, \(c.watcher) watching"),
                        c.highRisk ? L.ui("høj risiko", "high risk") : nil)
        case let .checkinExtended(c):
            return L.ui("+\(c.minutes) min", "+\(c.minutes) min")
        case let .checkinEnded(c):
            return c.onBehalf ? L.ui("meldt af kollegaen", "reported by the watcher") : L.ui("ude igen", "out again")
        case .checkinAcknowledged:
            return L.ui("overtaget", "taken charge of")
        case let .questionnaireRecorded(c):
            let answers: String = c.answers.map { (answer: UInt8?) -> String in
                answer.map { String($0) } ?? "–"
            }.joined(separator: " ")
            let said: String = c.notPossible.map { L.ui("ikke muligt: \($0)", "not possible: \($0)") } ?? answers
            return join(L.text(c.instrumentLabel), L.text(c.occasionLabel), said)
        case let .entryAmended(c):
            return join(c.fields.map(attribute).joined(separator: ", "), c.reason)
        case let .entryVoided(c):
            return c.reason
        case let .entryErased(c):
            return join(L.ui("slettet på centret: \(c.entries)", "erased at the centre: \(c.entries)"), c.reason)
        }
    }

    /// A person attribute's value as a worker reads it: text without quotes, a year, or "removed".
    static func value(_ value: AttributeValue) -> String {
        switch value {
        case let .text(text): return text
        case let .year(year): return String(year)
        case .cleared: return L.ui("fjernet", "removed")
        }
    }

    private static func attribute(_ name: String) -> String {
        switch name {
        case "description": return L.ui("beskrivelse", "description")
        case "birth_year": return L.ui("fødselsår", "birth year")
        default: return name
        }
    }

    private static func join(_ parts: String?...) -> String? {
        let shown = parts.compactMap { $0 }.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return shown.isEmpty ? nil : shown.joined(separator: " · ")
    }
}
