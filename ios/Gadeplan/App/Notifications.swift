// The worker told when the app is not on screen (review finding M6): sync trouble that needs
// them (refused, revoked, an update needed, records unsent for hours) and overdue check-ins, the
// worker's own or a colleague's. One notification per kind (a colleague's check-in: one per
// check-in), replaced rather than piled up; taken back when a sync gets through. Permission is
// asked once the phone is enrolled, not before.

import Foundation
import GadeplanCore
import GadeplanKit
import UserNotifications

final class Notifier: SyncNotifier, @unchecked Sendable {
    private let center = UNUserNotificationCenter.current()
    private let troubleId = "dk.gadeplan.sync-trouble"

    func askPermission() {
        center.requestAuthorization(options: [.alert, .sound, .badge]) { _, _ in }
    }

    private func post(_ id: String, title: String, body: String, critical: Bool = false) {
        let content = UNMutableNotificationContent()
        content.title = title
        content.body = body
        content.sound = .default
        if critical { content.interruptionLevel = .timeSensitive }
        center.add(UNNotificationRequest(identifier: id, content: content, trigger: nil)) { _ in }
    }

    func trouble(_ problem: SyncProblem, text: String) {
        post(troubleId, title: L.ui("Gadeplan synkroniserer ikke", "Gadeplan is not syncing"), body: text)
    }

    func revoked(text: String) {
        post(troubleId, title: L.ui("Telefonen er tilbagekaldt", "This phone was revoked"), body: text)
    }

    func overdueCheckins(_ alerts: [GadeplanCore.Alert], text: String) {
        for alert in alerts {
            post("dk.gadeplan.checkin.\(alert.checkin).\(code(of: alert.kind))",
                 title: L.text(alert.kindLabel), body: "\(alert.worker), \(alert.place)", critical: true)
        }
    }

    func clear() {
        center.removeDeliveredNotifications(withIdentifiers: [troubleId])
    }
}
