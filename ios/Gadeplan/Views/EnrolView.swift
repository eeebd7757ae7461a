// First start: the worker's name, the centre's address and the one-time code from the centre,
// or the enrolment link the centre shows as a QR code (the camera opens it in the app, which
// hands it here; the core reads it, `parseEnrolLink`).

import GadeplanCore
import SwiftUI

struct EnrolView: View {
    @State private var worker = ""
    @State private var centre = "https://"
    @State private var code = ""
    @State private var error: String?
    @State private var busy = false

    var body: some View {
        Form {
            Section(L.ui("Tilmeld telefonen", "Enrol this phone")) {
                TextField(L.ui("Dit navn", "Your name"), text: $worker)
                TextField(L.ui("Centrets adresse", "Centre address"), text: $centre).keyboardType(.URL).textInputAutocapitalization(.never)
                TextField(L.ui("Kode fra centret", "Code from the centre"), text: $code).textInputAutocapitalization(.characters)
            }
            if let error { Text(error).foregroundStyle(.red) }
            Button(L.ui("Tilmeld", "Enrol")) { enrol() }.disabled(busy || worker.isEmpty || code.isEmpty)
        }
        .onOpenURL { url in
            do {
                let link = try parseEnrolLink(link: url.absoluteString)
                centre = link.centre
                code = link.code
                error = nil
            } catch { self.error = error.localizedDescription }
        }
    }

    private func enrol() {
        busy = true
        let (worker, centre, code) = (worker, centre, code)
        Task.detached {
            do {
                let store = try await MainActor.run { try StoreProvider.shared.create(worker: worker) }
                _ = try store.enrol(transport: URLSessionTransport(centre: centre), centre: centre, code: code)
                SyncScheduler.shared.syncNow(store)
                await MainActor.run { busy = false }
            } catch {
                await MainActor.run { self.error = error.localizedDescription; busy = false }
            }
        }
    }
}
