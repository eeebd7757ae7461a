// The plan's handover document (Bilag 1C: the core's `planDocument`, an HTML page in Danish with
// the form's labels) shared through the system's share sheet, for the counsellor the citizen is
// handed over to — only after a warning that it is health data about the citizen leaving Gadeplan
// and the phone's encryption. The page is made on the phone (offline too), written to the app's
// temporary directory with complete file protection, shared as a file, and deleted when the share
// sheet closes, shared or not (a copy left by a crash in between is overwritten by the next
// share; iOS empties tmp/ on its own). Where it goes (mail, AirDrop, print) is the share sheet's,
// with that app's own connection.

import GadeplanCore
import GadeplanKit
import SwiftUI
import UIKit

struct PlanShareRow: View {
    @EnvironmentObject private var model: AppModel
    let personId: String
    @State private var warning = false
    @State private var preparing = false
    @State private var shared: SharedFile?
    @State private var error: String?

    var body: some View {
        Button { warning = true } label: {
            HStack {
                SwiftUI.Label(L.ui("Del behandlingsplanen (Bilag 1C)", "Share the treatment plan (Bilag 1C)"),
                              systemImage: "square.and.arrow.up")
                if preparing {
                    Spacer()
                    ProgressView()
                }
            }
        }
        .frame(minHeight: 60)
        .disabled(preparing)
        .confirmationDialog(L.ui("Helbredsoplysninger forlader Gadeplan", "Health data leaves Gadeplan"),
                            isPresented: $warning, titleVisibility: .visible) {
            Button(L.ui("Del alligevel", "Share anyway"), role: .destructive, action: prepare)
            Button(L.ui("Annullér", "Cancel"), role: .cancel) {}
        } message: {
            Text(L.ui("Behandlingsplanen er helbredsoplysninger om borgeren. Når den deles, forlader den Gadeplan og telefonens kryptering, og Gadeplan kan ikke slette den dér, hvor den sendes hen. Del den kun med den behandler, der skal have den, og kun med borgerens samtykke.",
                      "The treatment plan is health data about the citizen. Once shared, it leaves Gadeplan and the phone's encryption, and Gadeplan cannot erase it where it is sent. Share it only with the counsellor who is to have it, and only with the citizen's consent."))
        }
        .sheet(item: $shared, onDismiss: removeSharedPlan) { file in
            ActivitySheet(url: file.url) { shared = nil }
                .presentationDetents([.medium, .large])
        }
        if let error { Text(error).foregroundStyle(.red) }
    }

    private func prepare() {
        guard !preparing else { return }
        preparing = true
        error = nil
        let id = personId
        Task { @MainActor in
            do {
                let html = try await model.read { try $0.planDocument(person: id) }
                let url = sharedPlanURL
                try Data(html.utf8).write(to: url, options: [.atomic, .completeFileProtection])
                shared = SharedFile(url: url)
            } catch {
                self.error = L.error(error)
            }
            preparing = false
        }
    }
}

/// The one file a share writes (the citizen's nickname stays out of its name).
private let sharedPlanURL = FileManager.default.temporaryDirectory.appendingPathComponent("Behandlingsplan.html")

/// Deletes it when the share sheet has closed.
private func removeSharedPlan() {
    try? FileManager.default.removeItem(at: sharedPlanURL)
}

/// A file being shared, for `sheet(item:)`.
struct SharedFile: Identifiable {
    let id = UUID()
    let url: URL
}

/// The system's share sheet (UIActivityViewController) for one file; `finished` when it closes.
struct ActivitySheet: UIViewControllerRepresentable {
    let url: URL
    let finished: () -> Void

    func makeUIViewController(context: Context) -> UIActivityViewController {
        let controller = UIActivityViewController(activityItems: [url], applicationActivities: nil)
        controller.completionWithItemsHandler = { _, _, _, _ in finished() }
        return controller
    }

    func updateUIViewController(_ controller: UIActivityViewController, context: Context) {}
}
