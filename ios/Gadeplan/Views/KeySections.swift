// The settings' two changes of a secret (docs/keys.md), each with a sentence saying what it does:
// - "Skift telefonens nøgle": the store re-encrypted with a new random key from the Keychain
//   (AppModel.rekey → PhoneStore.rekey: the new key kept as pending first, so a phone dying at any
//   moment still opens its store). Offline works; a sync under way finishes first.
// - "Skift telefonens adgang til centret": a new device token from the centre in place of the
//   current one, without enrolling again (`rotateToken`). Needs a connection: offline it says so
//   and the button is off. A revoked phone is erased by the core, and AppModel routes it to the
//   explanation.
// Both are one `SecretChangeSection` (its sentence, its button, "done" or the error), told what
// to change and whether it needs the centre.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct StoreKeySection: View {
    var body: some View {
        SecretChangeSection(header: L.ui("Telefonens nøgle", "The phone's key"),
                            explanation: L.ui("Krypterer telefonens data igen med en ny, tilfældig nøgle i telefonens nøglering. Derefter kan den gamle nøgle ikke åbne dem. Intet registreret går tabt, og der skal ikke tilmeldes igen. Brug det, hvis nogen kan have set eller kopieret telefonens data.",
                                              "Encrypts the phone's data again with a new random key in the phone's keychain; the old key cannot open it afterwards. Nothing recorded is lost, and no new enrolment is needed. Use it if someone may have seen or copied the phone's data."),
                            button: L.ui("Skift telefonens nøgle", "Change the phone's key"),
                            done: L.ui("Nøglen er skiftet.", "The key is changed."),
                            needsCentre: false) { model in
            try await model.rekey()
        }
    }
}

struct DeviceTokenSection: View {
    var body: some View {
        SecretChangeSection(header: L.ui("Adgang til centret", "Access to the centre"),
                            explanation: L.ui("Henter en ny adgangsnøgle til centret i stedet for den nuværende, uden ny tilmelding. Brug det, når centret beder om det, eller hvis adgangen kan være kopieret.",
                                              "Gets a new access token for the centre in place of the current one, without enrolling again. Use it when the centre asks, or if the access may have been copied."),
                            button: L.ui("Skift telefonens adgang til centret", "Change the phone's access to the centre"),
                            done: L.ui("Telefonen har fået en ny adgang.", "The phone has a new access token."),
                            needsCentre: true) { model in
            try await model.withCentre { store, transport in try store.rotateToken(transport: transport) }
        }
    }
}

/// One change of a secret: the sentence saying what it does, its button (off while it works, and
/// while offline when it needs the centre, which it then says), "done" after it, or the error.
private struct SecretChangeSection: View {
    @EnvironmentObject private var model: AppModel
    let header: String
    let explanation: String
    let button: String
    let done: String
    /// Whether the change needs a connection to the centre.
    let needsCentre: Bool
    let change: (AppModel) async throws -> Void
    @State private var working = false
    @State private var finished = false
    @State private var error: String?

    private var offline: Bool { needsCentre && !model.online }

    var body: some View {
        Section {
            Text(explanation)
                .font(.callout)
            if offline { NeedsConnection() }
            Button(action: run) {
                HStack {
                    if working { ProgressView().tint(.white) }
                    Text(button)
                }
            }
            .buttonStyle(BigButtonStyle())
            .disabled(working || offline)
            if finished {
                SwiftUI.Label(done, systemImage: "checkmark.shield")
                    .foregroundStyle(.green)
            }
            if let error { Text(error).foregroundStyle(.red) }
        } header: {
            Text(header)
        }
    }

    private func run() {
        guard !working, !offline else { return }
        working = true
        finished = false
        error = nil
        Task { @MainActor in
            do {
                try await change(model)
                finished = true
            } catch {
                self.error = L.error(error)
            }
            working = false
        }
    }
}
