// The check-in before a home visit alone (or an approach after a high Brøset score): where, the
// watcher from the roster, the minutes; once started, the due time, more time, and "Ude igen" with
// the worker's code (the duress code looks the same here). Without data, the SMS for the watcher
// the core composes opens in Messages. The rules and the words are the core's; this view asks.
// Also the alerts at the top of the persons list: a colleague's overdue check-in, "Jeg tager den".

import GadeplanCore
import SwiftUI

struct CheckinScreen: View {
    let store: Store
    let person: String?
    @State private var open: GadeplanCore.CheckinView?
    @State private var place = ""
    @State private var watcher: String?
    @State private var minutes: UInt32 = 45
    @State private var reasonIndex = 0
    @State private var code = ""
    @State private var error: String?
    @Environment(\.openURL) private var openURL

    var body: some View {
        Form {
            if let open {
                Section {
                    Text(open.place).font(.title2)
                    Text(L.ui("Senest ude kl. ", "Out by ") + open.dueAt.formatted(date: .omitted, time: .shortened))
                    Text(L.ui("\(open.watcher) holder øje", "\(open.watcher) is watching"))
                    HStack {
                        ForEach([15, 30], id: \.self) { more in
                            Button("+\(more) min") { record(.checkinExtended(v1: CheckinExtensionInput(checkin: open.id, minutes: UInt32(more), occurredAt: nil))) }
                                .buttonStyle(.bordered)
                        }
                    }
                }
                SecureField(L.ui("Din kode", "Your code"), text: $code).keyboardType(.numberPad)
                Button(L.ui("Ude igen", "Out again")) {
                    record(.checkinEnded(v1: CheckinEndInput(checkin: open.id, code: code.isEmpty ? nil : code, onBehalf: false, occurredAt: nil)))
                }
                .frame(minHeight: 56)
                Button(L.ui("Ingen data: send SMS til \(open.watcher)", "No data: text \(open.watcher)")) { sms(.ended) }
            } else {
                TextField(L.ui("Hvor", "Where"), text: $place)
                Picker(L.ui("Hvem holder øje", "Who watches"), selection: $watcher) {
                    Text("–").tag(String?.none)
                    ForEach(colleagues(), id: \.self) { Text($0).tag(String?.some($0)) }
                }
                Picker(L.ui("Minutter", "Minutes"), selection: $minutes) {
                    ForEach([30, 45, 60, 90] as [UInt32], id: \.self) { Text("\($0)").tag($0) }
                }
                .pickerStyle(.segmented)
                // The core's labels, in its enum's order.
                Picker(L.ui("Hvorfor", "Why"), selection: $reasonIndex) {
                    ForEach(Array(L.instruments.safety.checkinReasons.enumerated()), id: \.offset) { index, label in
                        Text(L.text(label)).tag(index)
                    }
                }
                Button(L.ui("Start tjek-ind", "Start check-in")) { start() }
                    .disabled(place.isEmpty || watcher == nil)
                    .frame(minHeight: 56)
            }
            if let error { Text(error).foregroundStyle(.red) }
        }
        .navigationTitle(L.ui("Tjek-ind", "Check-in"))
        .onAppear(perform: reload)
    }

    private func me() -> String { (try? store.identity().worker) ?? "" }

    private func colleagues() -> [String] { ((try? store.roster()) ?? nil ?? []).filter { $0 != me() } }

    private func reload() {
        open = (try? store.checkins())?.first { $0.worker == me() && $0.endedAt == nil }
    }

    private func start() {
        let reasons: [CheckinReason] = [.soloHomeVisit, .highRiskApproach, .other]
        record(.checkinStarted(v1: CheckinInput(place: place, watcher: watcher ?? "", minutes: minutes,
                                                reason: reasons[reasonIndex], person: person, highRisk: false, occurredAt: nil)))
    }

    private func record(_ entry: NewEntry) {
        do {
            _ = try store.record(input: entry)
            SyncScheduler.shared.syncNow(store)
            error = nil
            code = ""
            reload()
        } catch { self.error = error.localizedDescription }
    }

    private func sms(_ kind: CheckinMessageKind) {
        do {
            let message = try store.checkinMessage(checkin: nil, kind: kind)
            let body = message.text.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
            if let url = URL(string: "sms:&body=\(body)") { openURL(url) }
        } catch { self.error = error.localizedDescription }
    }
}

/// What the worker must know now, for the top of the persons list.
struct AlertsSection: View {
    let store: Store
    // The core's Alert, not SwiftUI's.
    @State private var alerts: [GadeplanCore.Alert] = []
    @State private var error: String?

    var body: some View {
        Section {
            ForEach(alerts, id: \.checkin) { alert in
                let colleague = alert.kind == .colleagueOverdue || alert.kind == .colleagueDuress
                VStack(alignment: .leading) {
                    Text("\(L.text(alert.kindLabel)): \(alert.worker), \(alert.place)")
                        .foregroundStyle(colleague ? .red : .primary).font(.headline)
                    if let by = alert.acknowledgedBy { Text(L.ui("\(by) har taget den", "\(by) has taken charge")) }
                    if colleague && alert.acknowledgedBy == nil {
                        Button(L.ui("Jeg tager den", "I take charge")) { acknowledge(alert.checkin) }.frame(minHeight: 48)
                    }
                }
            }
            if let error { Text(error).foregroundStyle(.red) }
        }
        .onAppear { alerts = (try? store.alerts()) ?? [] }
    }

    private func acknowledge(_ checkin: String) {
        do {
            _ = try store.record(input: .checkinAcknowledged(v1: CheckinAcknowledgementInput(checkin: checkin, occurredAt: nil)))
            SyncScheduler.shared.syncNow(store)
            alerts = (try? store.alerts()) ?? []
        } catch { self.error = error.localizedDescription }
    }
}
