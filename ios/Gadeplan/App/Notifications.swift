// The worker told when the app is not on screen (review finding M6): sync trouble that needs
// them (refused, revoked, an update needed, records unsent for hours) and overdue check-ins, the
// worker's own or a colleague's. One notification per kind (a colleague's check-in: one per
// check-in), replaced rather than piled up; taken back when a sync gets through. Permission is
// asked once the phone is enrolled, not before. The worker's own open check-ins also get local
// notifications at their "due soon" point and their due time (audit P4: told offline too),
// planned by GadeplanKit's CheckinAlarms, scheduled here as calendar triggers, time-sensitive.
// Sign-out takes back everything, delivered or pending.

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
            // The worker's own overdue check-in replaces the phone's own alarm for it (one
            // notification, not two); the others are one per check-in and kind.
            let id = alert.kind == .ownOverdue
                ? CheckinAlarms.identifier(checkin: alert.checkin, kind: .ownOverdue)
                : "dk.gadeplan.checkin.\(alert.checkin).\(code(of: alert.kind))"
            post(id,
                 title: L.text(alert.kindLabel), body: "\(alert.worker), \(alert.place)", critical: true)
        }
    }

    func clear() {
        center.removeDeliveredNotifications(withIdentifiers: [troubleId])
    }

    /// The alarms of the worker's own check-ins as `planned` says: those not planned any more
    /// (ended) or planned at another time (more time given) removed, the new ones added.
    func scheduleCheckinAlarms(_ planned: [CheckinAlarm], language: Language) {
        let center = self.center
        center.getPendingNotificationRequests { requests in
            var scheduled: [String: Date] = [:]
            for request in requests where request.identifier.hasPrefix(CheckinAlarms.prefix) {
                let trigger = request.trigger as? UNCalendarNotificationTrigger
                scheduled[request.identifier] = trigger?.nextTriggerDate() ?? .distantPast
            }
            let change = CheckinAlarms.changes(scheduled: scheduled, planned: planned)
            if !change.remove.isEmpty {
                center.removePendingNotificationRequests(withIdentifiers: change.remove)
            }
            for alarm in change.add {
                let content = UNMutableNotificationContent()
                content.title = CheckinAlarms.title(alarm, language: language)
                content.body = alarm.place
                content.sound = .default
                content.interruptionLevel = .timeSensitive
                let when = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: alarm.at)
                let trigger = UNCalendarNotificationTrigger(dateMatching: when, repeats: false)
                center.add(UNNotificationRequest(identifier: alarm.id, content: content, trigger: trigger)) { _ in }
            }
        }
    }

    /// At sign-out: every notification of this app, delivered or still to come (the check-in
    /// alarms too), is taken back.
    func forgetAll() {
        center.removeAllPendingNotificationRequests()
        center.removeAllDeliveredNotifications()
    }
}
