// Today's log (review finding M10): what this phone recorded since local midnight (the core's
// `todaysLog` with the phone's offset from UTC), newest first, each record with its sync mark.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct TodayScreen: View {
    @EnvironmentObject private var model: AppModel
    @StateObject private var log = Loader<[TimelineItem]>()

    var body: some View {
        List {
            Loaded(loader: log, retry: load) { items in
                if items.isEmpty { Text(L.ui("Intet registreret i dag", "Nothing recorded today")).foregroundStyle(.secondary) }
                ForEach(Array(items.reversed()), id: \.id) { item in
                    NavigationLink(value: Dest.entry(item.id)) { TimelineRow(item: item) }
                }
            }
        }
        .navigationTitle(L.ui("Dagens log", "Today's log"))
        .task(id: model.changes) { await load() }
    }

    private func load() async {
        let offset = Times.utcOffsetMinutes()
        await log.load(model) { try $0.todaysLog(utcOffsetMinutes: offset) }
    }
}
