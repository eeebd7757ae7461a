// A person's timeline: every entry oldest first, corrections applied and marked, voided entries
// struck through, any unsettled conflict over their details on top.

import GadeplanCore
import SwiftUI

struct TimelineView: View {
    let store: Store
    let personId: String
    @State private var detail: PersonDetail?

    var body: some View {
        List {
            if let detail {
                Section {
                    Text(detail.person.alias).font(.title2)
                    if let d = detail.person.description { Text(d) }
                    if let risk = detail.person.risk { RiskBadge(band: risk) }
                    ForEach(detail.conflicts, id: \.attribute) { conflict in
                        Text(L.ui("Uafklaret: ", "Unsettled: ") + conflict.attribute + " — "
                             + conflict.values.map { Contents.value($0.typed) }.joined(separator: " / ")).foregroundStyle(.red)
                    }
                    NavigationLink(L.ui("Risikovurdering", "Risk check")) { RiskCheckView(store: store, person: personId) }
                    NavigationLink(L.ui("Kontakt", "Contact")) { ContactView(store: store, subject: personId, riskCheck: nil) }
                    NavigationLink(L.ui("Forscreening", "Pre-screening")) { ScreeningView(store: store, personId: personId) }
                }
                ForEach(detail.timeline, id: \.id) { item in
                    VStack(alignment: .leading) {
                        Text(L.text(item.title)).font(.headline).strikethrough(item.voidedBy != nil)
                        if let line = Contents.line(item.content) { Text(line).strikethrough(item.voidedBy != nil) }
                        Text(item.occurredAt.formatted(date: .numeric, time: .shortened) + " · " + item.authorWorker
                             + (item.syncState == .pending ? " · " + L.ui("ikke synkroniseret", "not synced") : "")).font(.caption)
                        if !item.amendedBy.isEmpty { Text(L.ui("Rettet", "Corrected")).font(.caption2) }
                        if let reason = item.voidReason { Text(L.ui("Annulleret: ", "Voided: ") + reason).font(.caption2) }
                    }
                }
            }
        }
        .onAppear { detail = try? store.person(id: personId) }
    }
}
