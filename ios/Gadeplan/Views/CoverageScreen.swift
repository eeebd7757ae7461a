// How the team's areas were covered in the last four weeks against their priority (the core's
// `coverage()`, highest priority first): the places of the register in each, the contacts
// recorded at them, the rounds through it, the last contact, and the core's state (uncovered,
// planned, covered) in its own words and, beside them, a colour (never the colour alone). A
// leader's view a worker also needs on the phone to see where nobody has been. Reached from the
// home screen; read only (areas are changed in "Steder og runder").

import GadeplanCore
import GadeplanKit
import SwiftUI

struct CoverageScreen: View {
    var body: some View {
        LoadedListScreen(title: L.ui("Dækning af områderne", "Coverage of the areas"),
                         empty: L.ui("Teamet har ingen områder endnu", "The team has no areas yet"),
                         footer: L.ui("De sidste fire uger, efter områdets prioritet.", "The last four weeks, by the area's priority."),
                         id: \AreaCoverage.area.id,
                         read: { try $0.coverage() }) { c in
            CoverageRow(coverage: c)
        }
    }
}

struct CoverageRow: View {
    let coverage: AreaCoverage

    private var color: Color {
        switch coverage.state {
        case .uncovered: return .red
        case .planned: return .orange
        case .covered: return .green
        }
    }

    var body: some View {
        let c = coverage
        VStack(alignment: .leading, spacing: 4) {
            HStack {
                Text(c.area.name).font(.headline)
                Spacer()
                Text(L.text(c.stateLabel))
                    .font(.subheadline.weight(.semibold))
                    .padding(.horizontal, 10)
                    .padding(.vertical, 4)
                    .background(color.opacity(0.25), in: Capsule())
                    .overlay(Capsule().stroke(color, lineWidth: 1))
            }
            Text([L.text(c.area.priorityLabel), c.area.times].compactMap { $0 }.joined(separator: " · ")).font(.caption)
            Text(L.ui("\(c.places) steder · \(c.contacts) kontakter · \(c.rounds) runder",
                      "\(c.places) places · \(c.contacts) contacts · \(c.rounds) rounds"))
                .font(.caption)
            Text(c.lastContact.map { L.ui("Sidste kontakt ", "Last contact ") + L.time($0) }
                 ?? L.ui("Ingen kontakt registreret", "No contact recorded"))
                .font(.caption).foregroundStyle(.secondary)
        }
        .frame(minHeight: 56)
        .accessibilityElement(children: .combine)
    }
}
