// The citizens waiting for treatment to start under the 14-day guarantee (the core's
// `waitingForTreatment()`: fewest days left first, those past their last day first of all), each
// with the guarantee's countdown in words and opened on tap. A leader's list a worker also needs
// on the phone to know whom to chase a visitation for. Reached from the home screen; read only.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct WaitingScreen: View {
    var body: some View {
        LoadedListScreen(title: L.ui("Venter på behandling", "Waiting for treatment"),
                         empty: L.ui("Ingen venter på behandling", "Nobody is waiting for treatment"),
                         footer: RuleWords.guaranteeRule,
                         id: \PersonSummary.id,
                         read: { try $0.waitingForTreatment() }) { person in
            WaitingRow(person: person)
        }
    }
}

/// A citizen waiting: the alias, the guarantee's countdown, the course's phase; opened on tap.
struct WaitingRow: View {
    let person: PersonSummary

    var body: some View {
        NavigationLink(value: Dest.person(person.id)) {
            VStack(alignment: .leading, spacing: 4) {
                Text(person.alias).font(.headline)
                if let guarantee = person.guarantee {
                    Text(guaranteeText(guarantee))
                        .font(.callout)
                        .foregroundStyle(guaranteeColor(guarantee))
                }
                if let phase = person.coursePhase {
                    Text(L.label(L.instruments.course.phases, of: phase)).font(.caption).foregroundStyle(.secondary)
                }
            }
            .frame(minHeight: 56)
        }
    }
}
