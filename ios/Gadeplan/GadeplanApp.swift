// The SwiftUI app. It registers the background sync before launch finishes, then shows what the
// core's start state says (RootView); every rule lives in the core, every non-drawing decision in
// GadeplanKit. The enrolment link (gadeplan://enrol?centre=…&code=…, the QR code the centre shows)
// is taken by `onOpenURL` wherever the app is.

import GadeplanCore
import GadeplanKit
import SwiftUI

@main
struct GadeplanApp: App {
    @StateObject private var model = AppModel.shared

    init() {
        AppModel.shared.sync.register()
        AppModel.shared.sync.startMonitoring()
    }

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(model)
                .onOpenURL { url in
                    if let link = enrolLinkFrom(url.absoluteString) { model.pendingLink = link }
                }
        }
    }
}
