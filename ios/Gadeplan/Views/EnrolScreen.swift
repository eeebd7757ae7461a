// Enrolment (review findings I9, I26, M1): the worker's name, the centre's address and the
// one-time code, typed or read from the centre's QR code (the camera, DataScannerViewController)
// or an opened gadeplan://enrol link. The address is checked (https) before anything is sent;
// while the phone enrols the form waits, and a failure is shown here, on this screen, which stays
// until the core says the phone is enrolled. The name is kept in a scene draft (I28).

import GadeplanCore
import GadeplanKit
import SwiftUI
import UIKit
import VisionKit

struct EnrolScreen: View {
    @EnvironmentObject private var model: AppModel
    @SceneStorage("enrol.worker") private var worker = ""
    @State private var centre = ""
    @State private var code = ""
    @State private var scanning = false
    @State private var addressProblem: String?

    private var ready: Bool {
        trimmed(worker) != nil && trimmed(code) != nil && checkCentreAddress(centre, language: L.language) == nil
    }

    var body: some View {
        NavigationStack {
            Form {
                Section {
                    TextField(L.ui("Dit navn", "Your name"), text: $worker)
                        .textContentType(.name)
                        .submitLabel(.next)
                    TextField(L.ui("Centrets adresse (https://…)", "Centre address (https://…)"), text: $centre)
                        .keyboardType(.URL)
                        .textContentType(.URL)
                        .textInputAutocapitalization(.never)
                        .autocorrectionDisabled()
                        .submitLabel(.next)
                        .onSubmit { addressProblem = checkCentreAddress(centre, language: L.language) }
                    if let addressProblem { Text(addressProblem).foregroundStyle(.red).font(.callout) }
                    TextField(L.ui("Kode fra centret", "Code from the centre"), text: $code)
                        .textInputAutocapitalization(.characters)
                        .autocorrectionDisabled()
                        .submitLabel(.go)
                        .onSubmit { if ready { enrol() } }
                } header: {
                    Text(L.ui("Tilmeld telefonen", "Enrol this phone"))
                }
                if DataScannerViewController.isSupported {
                    Section {
                        Button {
                            scanning = true
                        } label: {
                            SwiftUI.Label(L.ui("Scan QR-koden fra centret", "Scan the centre's QR code"), systemImage: "qrcode.viewfinder")
                                .frame(minHeight: 56)
                        }
                    }
                }
                if let error = model.enrolError {
                    Section { Text(error).foregroundStyle(.red) }
                }
                Section {
                    Button(action: enrol) {
                        if model.enrolling {
                            ProgressView().tint(.white)
                        } else {
                            Text(L.ui("Tilmeld", "Enrol"))
                        }
                    }
                    .buttonStyle(BigButtonStyle())
                    .disabled(!ready || model.enrolling)
                    .listRowInsets(EdgeInsets())
                }
            }
            .navigationTitle("Gadeplan")
            .sheet(isPresented: $scanning) {
                QRScanner { text in
                    scanning = false
                    take(text)
                }
                .ignoresSafeArea()
            }
            .onAppear { if let link = model.pendingLink { apply(link) } }
            .onChange(of: model.pendingLink) { _, link in if let link { apply(link) } }
        }
    }

    private func take(_ text: String) {
        if let link = enrolLinkFrom(text) {
            apply(link)
        } else {
            model.enrolError = L.ui("QR-koden er ikke et tilmeldingslink fra centret.",
                                    "The QR code is not an enrolment link from the centre.")
        }
    }

    private func apply(_ link: EnrolLink) {
        centre = link.centre
        code = link.code
        model.enrolError = nil
        addressProblem = checkCentreAddress(centre, language: L.language)
        model.pendingLink = nil
    }

    private func enrol() {
        addressProblem = checkCentreAddress(centre, language: L.language)
        guard addressProblem == nil, let worker = trimmed(worker), let code = trimmed(code) else { return }
        model.enrol(centre: centre.trimmingCharacters(in: .whitespacesAndNewlines), code: code, worker: worker)
    }
}

/// The camera reading one QR code (VisionKit's DataScannerViewController; the camera's purpose
/// string is NSCameraUsageDescription in project.yml).
struct QRScanner: UIViewControllerRepresentable {
    let found: (String) -> Void

    func makeUIViewController(context: Context) -> DataScannerViewController {
        let scanner = DataScannerViewController(recognizedDataTypes: [.barcode(symbologies: [.qr])],
                                                qualityLevel: .balanced, isHighlightingEnabled: true)
        scanner.delegate = context.coordinator
        return scanner
    }

    func updateUIViewController(_ controller: DataScannerViewController, context: Context) {
        if !controller.isScanning { try? controller.startScanning() }
    }

    func makeCoordinator() -> Coordinator { Coordinator(found: found) }

    final class Coordinator: NSObject, DataScannerViewControllerDelegate {
        let found: (String) -> Void
        private var done = false

        init(found: @escaping (String) -> Void) { self.found = found }

        func dataScanner(_ dataScanner: DataScannerViewController, didAdd addedItems: [RecognizedItem],
                         allItems: [RecognizedItem]) {
            guard !done else { return }
            for item in addedItems {
                if case let .barcode(barcode) = item, let text = barcode.payloadStringValue {
                    done = true
                    dataScanner.stopScanning()
                    found(text)
                    return
                }
            }
        }
    }
}
