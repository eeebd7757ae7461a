// The settings' two changes of a secret (docs/keys.md), each with a sentence saying what it does:
// - "Skift telefonens nøgle": the store re-encrypted with a new random key from the Keychain
//   (AppModel.rekey → PhoneStore.rekey: the new key kept as pending first, so a phone dying at any
//   moment still opens its store). Offline works; a sync under way finishes first.
// - "Skift telefonens adgang til centret": a new device token from the centre in place of the
//   current one, without enrolling again (`rotateToken`). Needs a connection: offline it says so
//   and the button is off. A revoked phone is erased by the core, and AppModel routes it to the
//   explanation.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct StoreKeySection: View {
    @EnvironmentObject private var model: AppModel
    @State private var working = false
    @State private var done = false
    @State private var error: String?

    var body: some View {
        Section {
            Text(L.ui("Krypterer telefonens data igen med en ny, tilfældig nøgle i telefonens nøglering. Derefter kan den gamle nøgle ikke åbne dem. Intet registreret går tabt, og der skal ikke tilmeldes igen. Brug det, hvis nogen kan have set eller kopieret telefonens data.",
                      "Encrypts the phone's data again with a new random key in the phone's keychain; the old key cannot open it afterwards. Nothing recorded is lost, and no new enrolment is needed. Use it if someone may have seen or copied the phone's data."))
                .font(.callout)
            Button(action: rekey) {
                HStack {
                    if working { ProgressView().tint(.white) }
                    Text(L.ui("Skift telefonens nøgle", "Change the phone's key"))
                }
            }
            .buttonStyle(BigButtonStyle())
            .disabled(working)
            if done {
                SwiftUI.Label(L.ui("Nøglen er skiftet.", "The key is changed."), systemImage: "checkmark.shield")
                    .foregroundStyle(.green)
            }
            if let error { Text(error).foregroundStyle(.red) }
        } header: {
            Text(L.ui("Telefonens nøgle", "The phone's key"))
        }
    }

    private func rekey() {
        guard !working else { return }
        working = true
        done = false
        error = nil
        Task { @MainActor in
            do {
                try await model.rekey()
                done = true
            } catch {
                self.error = L.error(error)
            }
            working = false
        }
    }
}

struct DeviceTokenSection: View {
    @EnvironmentObject private var model: AppModel
    @State private var working = false
    @State private var done = false
    @State private var error: String?

    var body: some View {
        Section {
            Text(L.ui("Henter en ny adgangsnøgle til centret i stedet for den nuværende, uden ny tilmelding. Brug det, når centret beder om det, eller hvis adgangen kan være kopieret.",
                      "Gets a new access token for the centre in place of the current one, without enrolling again. Use it when the centre asks, or if the access may have been copied."))
                .font(.callout)
            if !model.online { NeedsConnection() }
            Button(action: rotate) {
                HStack {
                    if working { ProgressView().tint(.white) }
                    Text(L.ui("Skift telefonens adgang til centret", "Change the phone's access to the centre"))
                }
            }
            .buttonStyle(BigButtonStyle())
            .disabled(working || !model.online)
            if done {
                SwiftUI.Label(L.ui("Telefonen har fået en ny adgang.", "The phone has a new access token."), systemImage: "checkmark.shield")
                    .foregroundStyle(.green)
            }
            if let error { Text(error).foregroundStyle(.red) }
        } header: {
            Text(L.ui("Adgang til centret", "Access to the centre"))
        }
    }

    private func rotate() {
        guard !working, model.online else { return }
        working = true
        done = false
        error = nil
        Task { @MainActor in
            do {
                try await model.withCentre { store, transport in try store.rotateToken(transport: transport) }
                done = true
            } catch {
                self.error = L.error(error)
            }
            working = false
        }
    }
}
