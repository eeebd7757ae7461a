// The phone's settings and sign-out (review findings M4, M6): who is enrolled where; the codes
// that end a check-in (the normal one and the duress one, which looks the same on the screen);
// the store's key changed ("Skift telefonens nøgle") and the device token rotated, online
// (KeySections); and "Afmeld og slet data fra telefonen": how many records have not reached
// the centre, a final sync offered first, then the store, its key and the Keychain item erased,
// the background work cancelled, and the phone back at enrolment.

import GadeplanCore
import GadeplanKit
import SwiftUI

struct SettingsScreen: View {
    @EnvironmentObject private var model: AppModel
    @StateObject private var identity = Loader<Identity>()
    @State private var unsent: UInt64?
    @State private var confirming = false
    @State private var working = false
    @State private var code = ""
    @State private var duress = ""
    @State private var codesSaved = false
    @State private var error: String?

    var body: some View {
        Form {
            Section(L.ui("Telefonen", "This phone")) {
                if case let .main(worker, team, centre)? = model.route {
                    LabeledContent(L.ui("Medarbejder", "Worker"), value: worker)
                    LabeledContent(L.ui("Team", "Team"), value: team)
                    LabeledContent(L.ui("Center", "Centre"), value: centre)
                }
                Loaded(loader: identity, retry: load) { id in
                    LabeledContent(L.ui("Enhed", "Device"), value: id.deviceName)
                }
                LabeledContent(L.ui("Version", "Version"), value: Platform.version)
            }
            Section {
                SecureField(L.ui("Kode", "Code"), text: $code).keyboardType(.numberPad)
                SecureField(L.ui("Nødkode", "Duress code"), text: $duress).keyboardType(.numberPad)
                Button(codesSaved ? L.ui("Gemt", "Saved") : L.ui("Gem koderne", "Save the codes"), action: saveCodes)
                    .disabled(trimmed(code) == nil || trimmed(duress) == nil || code == duress || working)
                    .frame(minHeight: 56)
            } header: {
                Text(L.ui("Koder til tjek-ind", "Check-in codes"))
            } footer: {
                Text(L.ui("Nødkoden afslutter tjek-ind som normalt på skærmen, mens centret slår alarm.",
                          "The duress code ends a check-in as usual on the screen while the centre raises the alarm."))
            }
            StoreKeySection()
            DeviceTokenSection()
            Section {
                if let unsent {
                    Text(unsent == 0
                         ? L.ui("Alt er sendt til centret.", "Everything has reached the centre.")
                         : L.ui("\(unsent) registreringer er ikke sendt til centret endnu.", "\(unsent) records have not reached the centre yet."))
                        .foregroundStyle(unsent == 0 ? Color.primary : Color.orange)
                }
                Button(L.ui("Synkronisér først", "Sync first")) { model.syncNow() }
                    .disabled(model.syncing)
                    .frame(minHeight: 56)
                Button(L.ui("Afmeld og slet data fra telefonen", "Sign out and erase data from this phone"), role: .destructive) {
                    confirming = true
                }
                .frame(minHeight: 56)
                .disabled(working || model.syncing)
            } header: {
                Text(L.ui("Afmeld", "Sign out"))
            } footer: {
                if model.syncing {
                    Text(L.ui("Venter på synkroniseringen.", "Waiting for the sync."))
                }
            }
            if let error { Section { Text(error).foregroundStyle(.red) } }
        }
        .navigationTitle(L.ui("Indstillinger", "Settings"))
        .task(id: model.changes) {
            await load()
            unsent = await model.unsent()
        }
        .confirmationDialog(L.ui("Slet alt på telefonen?", "Erase everything on this phone?"),
                            isPresented: $confirming, titleVisibility: .visible) {
            Button(L.ui("Afmeld og slet", "Sign out and erase"), role: .destructive, action: wipe)
        } message: {
            if let unsent, unsent > 0 {
                Text(L.ui("\(unsent) registreringer er ikke sendt og går tabt.", "\(unsent) records have not been sent and will be lost."))
            } else {
                Text(L.ui("Telefonen skal tilmeldes igen med en ny kode.", "The phone must be enrolled again with a new code."))
            }
        }
    }

    private func load() async {
        await identity.load(model) { try $0.identity() }
    }

    private func saveCodes() {
        let (code, duress) = (self.code, self.duress)
        working = true
        Task { @MainActor in
            do {
                try await model.read { try $0.setCheckinCodes(code: code, duressCode: duress) }
                codesSaved = true
                self.code = ""
                self.duress = ""
                error = nil
            } catch {
                self.error = L.error(error)
            }
            working = false
        }
    }

    private func wipe() {
        whileWorking($working, error: $error) { try await model.wipe() }
    }
}
