// The caseload as this phone knows it (the core's `caseload()`): the citizens with an open course,
// how many each worker carries, and the team's average against the guideline of 15 per worker
// (002 L3202–3203), over it said in words and colour. A leader's figure a worker also needs on
// the phone when a new citizen is to be taken on; the worker's own row stands out. Reached from
// the home screen; read only.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct CaseloadScreen: View {
    @EnvironmentObject private var model: AppModel
    @StateObject private var caseload = Loader<Caseload>()

    private var me: String? {
        if case let .main(worker, _, _)? = model.route { return worker }
        return nil
    }

    var body: some View {
        List {
            Loaded(loader: caseload, retry: load) { c in
                Section {
                    LabeledContent(L.ui("Borgere med åbent forløb", "Citizens with an open course"), value: "\(c.openCourses)")
                    LabeledContent(L.ui("Gennemsnit pr. medarbejder", "Average per worker"),
                                   value: c.average.formatted(.number.precision(.fractionLength(1))))
                    SwiftUI.Label(c.overGuideline
                                  ? L.ui("Over retningslinjen på \(c.guideline) pr. medarbejder", "Over the guideline of \(c.guideline) per worker")
                                  : L.ui("Inden for retningslinjen på \(c.guideline) pr. medarbejder", "Within the guideline of \(c.guideline) per worker"),
                                  systemImage: c.overGuideline ? "exclamationmark.triangle.fill" : "checkmark.circle")
                        .foregroundStyle(c.overGuideline ? Color.orange : Color.secondary)
                } footer: {
                    Text(L.ui("Som telefonen kender det efter sidste synkronisering.", "As this phone knows it after the last sync."))
                }
                Section(L.ui("Pr. medarbejder", "Per worker")) {
                    if c.workers.isEmpty {
                        Text(L.ui("Ingen åbne forløb", "No open courses")).foregroundStyle(.secondary)
                    }
                    ForEach(c.workers, id: \.worker) { w in
                        LabeledContent(w.worker, value: "\(w.openCourses)")
                            .fontWeight(w.worker == me ? .semibold : .regular)
                            .frame(minHeight: 44)
                    }
                }
            }
        }
        .navigationTitle(L.ui("Sagsstamme", "Caseload"))
        .task(id: model.changes) { await load() }
    }

    private func load() async {
        await caseload.load(model) { try $0.caseload() }
    }
}
