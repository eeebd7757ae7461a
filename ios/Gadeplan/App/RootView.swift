// What the app shows: the route from the core's start state (review findings I6, I9), never "a
// store exists". Over it, the app lock (M2: Face ID or the passcode at a cold start and after
// five minutes away) and the privacy cover (M3: the content hidden whenever the scene is not
// active, so the app switcher's snapshot is blank, and while the screen is recorded or mirrored).
// A Keychain not readable yet (before the first unlock) waits for protected data.

import GadeplanCore
import GadeplanKit
import LocalAuthentication
import SwiftUI
import UIKit

struct RootView: View {
    @EnvironmentObject private var model: AppModel
    @Environment(\.scenePhase) private var scenePhase
    @Environment(\.isSceneCaptured) private var captured

    var body: some View {
        content
            .overlay {
                if case .main = model.route, model.locked {
                    LockScreen()
                }
            }
            .overlay {
                if scenePhase != .active || captured { PrivacyCover() }
            }
            .task { await model.start() }
            .onChange(of: scenePhase) { _, phase in model.scenePhaseChanged(phase) }
            .onReceive(NotificationCenter.default.publisher(for: UIApplication.protectedDataDidBecomeAvailableNotification)) { _ in
                model.retryIfLocked()
            }
    }

    @ViewBuilder private var content: some View {
        switch model.route {
        case nil:
            ProgressView()
        case .enrol?:
            EnrolScreen()
        case .main?:
            HomeScreen()
        case let .revoked(how)?:
            StartProblemScreen(kind: .revoked(how))
        case let .keyLost(detail)?:
            StartProblemScreen(kind: .keyLost(detail))
        case let .broken(message)?:
            StartProblemScreen(kind: .broken(message))
        case .locked?:
            StartProblemScreen(kind: .locked)
        }
    }
}

/// The blank cover for the app switcher and screen recording.
struct PrivacyCover: View {
    var body: some View {
        ZStack {
            Color(uiColor: .systemBackground).ignoresSafeArea()
            VStack(spacing: 12) {
                Image(systemName: "lock.shield").font(.system(size: 56))
                Text("Gadeplan").font(.title)
            }
            .foregroundStyle(.secondary)
        }
        .accessibilityElement(children: .combine)
    }
}

/// Face ID, Touch ID or the passcode before the app's content (UI only: the store key stays
/// readable for background sync).
struct LockScreen: View {
    @EnvironmentObject private var model: AppModel
    @State private var failed: String?

    var body: some View {
        ZStack {
            Color(uiColor: .systemBackground).ignoresSafeArea()
            VStack(spacing: 24) {
                Image(systemName: "lock.fill").font(.system(size: 56)).accessibilityHidden(true)
                Text(L.ui("Gadeplan er låst", "Gadeplan is locked")).font(.title2)
                if let failed { Text(failed).foregroundStyle(.secondary).multilineTextAlignment(.center) }
                Button(L.ui("Lås op", "Unlock"), action: authenticate)
                    .buttonStyle(BigButtonStyle())
            }
            .padding()
        }
        .task { authenticate() }
    }

    private func authenticate() {
        let context = LAContext()
        var error: NSError?
        guard context.canEvaluatePolicy(.deviceOwnerAuthentication, error: &error) else {
            // No passcode on the phone: nothing to ask for (the centre's policy requires one).
            model.unlocked()
            return
        }
        context.evaluatePolicy(.deviceOwnerAuthentication,
                               localizedReason: L.ui("Lås Gadeplan op", "Unlock Gadeplan")) { ok, error in
            let message = error?.localizedDescription
            Task { @MainActor in
                if ok { model.unlocked() } else { failed = message }
            }
        }
    }
}
