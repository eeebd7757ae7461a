// The check-in before a home visit alone or an approach after a high score (the whole model,
// issue 18 §4): where, the watcher from the team's roster, the minutes, why (the core's reasons,
// by code). Once started: when the worker is due out, more time, and "Ude igen" with the worker's
// code; the duress code looks exactly the same here (the core tells the centre). Without data the
// SMS for the watcher, worded by the core, opens in Messages (MFMessageComposeViewController, or
// an sms: link where Messages cannot compose). The colleagues' check-ins this worker watches are
// listed, and a colleague's "out" by SMS is recorded on their behalf.

import GadeplanCore
import GadeplanKit
import MessageUI
import SwiftUI
import UIKit

struct CheckinScreen: View {
    @EnvironmentObject private var model: AppModel
    let personId: String?

    struct Snapshot {
        var open: CheckinView?
        var colleagues: [String]
        /// Colleagues' open check-ins this worker watches.
        var watching: [CheckinView]
    }

    @StateObject private var loader = Loader<Snapshot>()
    // The check-in being set up, kept in the scene (I28) while the worker looks up the address.
    @SceneStorage("checkin.place") private var place = ""
    @SceneStorage("checkin.watcher") private var watcher = ""
    @State private var minutes: UInt32 = 45
    @SceneStorage("checkin.reason") private var reason = "solo-home-visit"
    @State private var code = ""
    @State private var saving = false
    @State private var error: String?
    @State private var message: CheckinMessage?

    var body: some View {
        Form {
            Loaded(loader: loader, retry: load) { state in
                if let open = state.open { running(open) } else { starting(state.colleagues) }
                if !state.watching.isEmpty { watching(state.watching) }
            }
            if let error { Section { Text(error).foregroundStyle(.red) } }
        }
        .navigationTitle(L.ui("Tjek-ind", "Check-in"))
        .task(id: model.changes) { await load() }
        .sheet(item: Binding(get: { message.map(SMS.init) }, set: { if $0 == nil { message = nil } })) { sms in
            if MFMessageComposeViewController.canSendText() {
                MessageComposer(text: sms.message.text) { message = nil }.ignoresSafeArea()
            } else {
                SMSFallback(message: sms.message)
            }
        }
    }

    private func load() async {
        await loader.load(model) { store in
            let me = try store.identity().worker
            let open = try store.checkins().first { $0.worker == me && $0.endedAt == nil }
            let colleagues = (try store.roster() ?? []).filter { $0 != me }
            let watching = try store.checkins().filter { $0.watcher == me && $0.worker != me && $0.endedAt == nil }
            return Snapshot(open: open, colleagues: colleagues, watching: watching)
        }
    }

    @ViewBuilder private func running(_ open: CheckinView) -> some View {
        Section {
            Text(open.place).font(.title2)
            Text(L.ui("Senest ude kl. ", "Out by ") + Times.clock(open.dueAt, language: L.language)).font(.title3.bold())
            Text(L.ui("\(open.watcher) holder øje", "\(open.watcher) is watching"))
            HStack {
                ForEach([15, 30] as [UInt32], id: \.self) { more in
                    Button("+\(more) min") {
                        record(.checkinExtended(CheckinExtensionInput(checkin: open.id, minutes: more)))
                    }
                    .buttonStyle(.bordered)
                    .frame(minHeight: 56)
                    .disabled(saving)
                }
            }
        }
        Section {
            SecureField(L.ui("Din kode", "Your code"), text: $code).keyboardType(.numberPad).textContentType(.oneTimeCode)
            Button(L.ui("Ude igen", "Out again")) {
                record(.checkinEnded(CheckinEndInput(checkin: open.id, code: trimmed(code))))
            }
            .buttonStyle(BigButtonStyle(tint: .green))
            .disabled(saving)
            Button(L.ui("Ingen data: SMS til \(open.watcher)", "No data: text \(open.watcher)")) { sms(.ended) }
                .frame(minHeight: 56)
        }
    }

    /// The colleagues' check-ins this worker watches: when a colleague without data texts that
    /// they are out, the watcher records it on their behalf (the core allows only the watcher).
    private func watching(_ checkins: [CheckinView]) -> some View {
        Section(L.ui("Du holder øje med", "You are watching")) {
            ForEach(checkins, id: \.id) { c in
                VStack(alignment: .leading, spacing: 6) {
                    Text("\(c.worker), \(c.place)").font(.headline)
                    Text(L.ui("Senest ude kl. ", "Out by ") + Times.clock(c.dueAt, language: L.language)).font(.caption)
                    Button(L.ui("\(c.worker) har meldt sig ude (SMS)", "\(c.worker) texted that they are out")) {
                        record(.checkinEnded(CheckinEndInput(checkin: c.id, onBehalf: true)))
                    }
                    .buttonStyle(BigButtonStyle(tint: .green))
                    .disabled(saving)
                }
            }
        }
    }

    @ViewBuilder private func starting(_ colleagues: [String]) -> some View {
        Section {
            TextField(L.ui("Hvor", "Where"), text: $place)
            Picker(L.ui("Hvem holder øje", "Who watches"), selection: $watcher) {
                Text("–").tag("")
                ForEach(colleagues, id: \.self) { Text($0).tag($0) }
            }
            Picker(L.ui("Minutter", "Minutes"), selection: $minutes) {
                ForEach([30, 45, 60, 90] as [UInt32], id: \.self) { Text("\($0)").tag($0) }
            }
            .pickerStyle(.segmented)
            Picker(L.ui("Hvorfor", "Why"), selection: $reason) {
                ForEach(L.instruments.safety.checkinReasons, id: \.code) { Text(L.text($0)).tag($0.code) }
            }
        }
        Section {
            Button(L.ui("Start tjek-ind", "Start check-in"), action: start)
                .buttonStyle(BigButtonStyle())
                .disabled(trimmed(place) == nil || watcher.isEmpty || saving)
            Button(L.ui("Ingen data: SMS til vagten", "No data: text the watcher")) { sms(.started) }
                .frame(minHeight: 56)
        }
    }

    private func start() {
        guard let place = trimmed(place), let why = value(forCode: reason, in: Vocab.checkinReasons) else { return }
        record(.checkinStarted(CheckinInput(place: place, watcher: watcher, minutes: minutes, reason: why,
                                            person: personId, highRisk: why == .highRiskApproach)))
    }

    private func record(_ entry: NewEntry) {
        saving = true
        Task { @MainActor in
            do {
                _ = try await model.write { try $0.record(input: entry) }
                model.syncNow()
                error = nil
                code = ""
                place = ""
            } catch {
                self.error = L.error(error)
            }
            saving = false
        }
    }

    private func sms(_ kind: CheckinMessageKind) {
        Task { @MainActor in
            do {
                message = try await model.read { try $0.checkinMessage(checkin: nil, kind: kind) }
            } catch {
                self.error = L.error(error)
            }
        }
    }
}

/// The SMS as a sheet item.
private struct SMS: Identifiable {
    let message: CheckinMessage
    var id: String { message.text }
}

/// Messages' composer with the core's text; the worker picks the watcher.
struct MessageComposer: UIViewControllerRepresentable {
    let text: String
    let done: () -> Void

    func makeUIViewController(context: Context) -> MFMessageComposeViewController {
        let composer = MFMessageComposeViewController()
        composer.body = text
        composer.messageComposeDelegate = context.coordinator
        return composer
    }

    func updateUIViewController(_ controller: MFMessageComposeViewController, context: Context) {}

    func makeCoordinator() -> Coordinator { Coordinator(done: done) }

    final class Coordinator: NSObject, MFMessageComposeViewControllerDelegate {
        let done: () -> Void
        init(done: @escaping () -> Void) { self.done = done }

        func messageComposeViewController(_ controller: MFMessageComposeViewController,
                                          didFinishWith result: MessageComposeResult) {
            done()
        }
    }
}

/// Where Messages cannot compose: the text to copy, and an sms: link.
struct SMSFallback: View {
    let message: CheckinMessage
    @Environment(\.openURL) private var openURL

    var body: some View {
        VStack(alignment: .leading, spacing: 16) {
            Text(L.ui("Til \(message.to)", "To \(message.to)")).font(.headline)
            Text(message.text).textSelection(.enabled)
            Button(L.ui("Åbn Beskeder", "Open Messages")) {
                let body = message.text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
                if let url = URL(string: "sms:&body=\(body)") { openURL(url) }
            }
            .buttonStyle(BigButtonStyle())
        }
        .padding()
    }
}
