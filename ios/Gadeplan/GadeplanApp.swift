// The SwiftUI app: enrolment on first start, then the persons list. Every rule lives in the core.

import GadeplanCore
import SwiftUI

@main
struct GadeplanApp: App {
    @StateObject private var provider = StoreProvider.shared

    init() {
        // The scheduler asks from its own queue; the provider lives on the main actor.
        SyncScheduler.shared.start { DispatchQueue.main.sync { MainActor.assumeIsolated { StoreProvider.shared.store } } }
    }

    var body: some Scene {
        WindowGroup {
            if let store = provider.store {
                NavigationStack { PersonsView(store: store) }
            } else {
                EnrolView()
            }
        }
    }
}
