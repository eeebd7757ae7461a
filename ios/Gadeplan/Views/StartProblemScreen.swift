// The screens for a phone that cannot go on as it was (review findings I6, I12, M4, M5): revoked
// by the centre (its data already erased by the core: say so, then erase and enrol anew), a lost
// key (what the store held cannot be read by anyone: erase and enrol again; what had reached the
// centre is safe there), a store that cannot be opened for another reason (said, with the core's
// words, not crashed), and a Keychain not readable yet (before the first unlock since boot).

import GadeplanCore
import GadeplanKit
import SwiftUI

struct StartProblemScreen: View {
    enum Kind {
        case revoked(String)
        case keyLost(String)
        case broken(String)
        case locked
    }

    @EnvironmentObject private var model: AppModel
    let kind: Kind
    @State private var confirming = false
    @State private var working = false
    @State private var error: String?

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 20) {
                Image(systemName: icon).font(.system(size: 48)).foregroundStyle(.orange).accessibilityHidden(true)
                Text(title).font(.title.bold())
                Text(explanation).font(.body)
                if let error { Text(error).foregroundStyle(.red) }
                if offersWipe {
                    Button(L.ui("Slet data og tilmeld igen", "Erase data and enrol again")) { confirming = true }
                        .buttonStyle(BigButtonStyle(tint: .red))
                        .disabled(working)
                } else {
                    Button(L.ui("Prøv igen", "Try again")) { Task { @MainActor in await model.start() } }
                        .buttonStyle(BigButtonStyle())
                }
            }
            .padding()
        }
        .confirmationDialog(L.ui("Slet alt på telefonen?", "Erase everything on the phone?"),
                            isPresented: $confirming, titleVisibility: .visible) {
            Button(L.ui("Slet og tilmeld igen", "Erase and enrol again"), role: .destructive) { wipe() }
        } message: {
            Text(L.ui("Det, der ikke nåede centret, kan ikke hentes igen.",
                      "What had not reached the centre cannot be recovered."))
        }
    }

    private var offersWipe: Bool {
        switch kind {
        case .revoked, .keyLost: return true
        case .broken, .locked: return false
        }
    }

    private var icon: String {
        switch kind {
        case .revoked: return "xmark.shield"
        case .keyLost: return "key.slash"
        case .broken: return "exclamationmark.triangle"
        case .locked: return "lock"
        }
    }

    private var title: String {
        switch kind {
        case .revoked: return L.ui("Telefonen er tilbagekaldt", "This phone was revoked")
        case .keyLost: return L.ui("Nøglen til data er væk", "The key to the data is gone")
        case .broken: return L.ui("Gadeplan kan ikke åbne sine data", "Gadeplan cannot open its data")
        case .locked: return L.ui("Lås telefonen op", "Unlock the phone")
        }
    }

    private var explanation: String {
        switch kind {
        case let .revoked(how):
            let why = how == "lost"
                ? L.ui("Centret har meldt telefonen mistet.", "The centre reported the phone lost.")
                : L.ui("Centret har taget telefonen ud af brug.", "The centre retired this phone.")
            return why + " " + L.ui(
                "Dens data er slettet fra telefonen. Vil du bruge den igen, skal du have en ny kode fra centret.",
                "Its data has been erased from the phone. To use it again, get a new code from the centre.")
        case let .keyLost(detail):
            return L.ui("Telefonen har ikke længere nøglen til Gadeplans data (f.eks. efter en gendannelse), så de kan ikke læses af nogen. Det, der nåede centret, er i sikkerhed der. Slet data og tilmeld telefonen igen med en ny kode.",
                        "The phone no longer holds the key to Gadeplan's data (after a restore, for instance), so no one can read it. What reached the centre is safe there. Erase the data and enrol the phone again with a new code.")
                + "\n\n(" + detail + ")"
        case let .broken(message):
            return message
        case .locked:
            return L.ui("Gadeplan kan først åbne sine data, når telefonen har været låst op én gang efter start.",
                        "Gadeplan can open its data once the phone has been unlocked after it started.")
        }
    }

    private func wipe() {
        whileWorking($working, error: $error) { try await model.wipe() }
    }
}
