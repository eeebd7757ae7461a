// The worker told of their own check-in at its time even when the phone is offline (audit P4):
// the overdue alert of a sync comes only after a sync that got through, and a worker in a
// stairwell is often offline. So the phone itself plans a local notification at the check-in's
// due time, and one at the core's "due soon" point before it (`CheckinView.dueSoonAt`: the shell
// holds no minutes of its own). This file decides which alarms,
// at which times (testable, with any clock); the app only hands them to UNUserNotificationCenter
// (App/Notifications.swift) after every record and every sync, so a start, a "more time" and an
// end (the worker's, or the watcher's on their behalf, arriving by a sync) each move or take
// back the alarms.

import Foundation
import GadeplanCore

public struct CheckinAlarm: Equatable {
    /// The notification's identifier: one per check-in and kind, so a new due time replaces it.
    public var id: String
    public var checkin: String
    /// `.ownDueSoon` or `.ownOverdue`: the core's alert kinds, and their labels as titles.
    public var kind: AlertKind
    public var at: Date
    public var place: String
}

public enum CheckinAlarms {
    /// Every alarm's identifier starts so: what is not planned any more is found by it.
    public static let prefix = "dk.gadeplan.own-checkin."

    /// The identifier of a check-in's alarm of `kind`: the sync's own-overdue notification uses
    /// it too, so the worker gets one notification for it, not two.
    public static func identifier(checkin: String, kind: AlertKind) -> String {
        prefix + checkin + (kind == .ownDueSoon ? ".due-soon" : ".overdue")
    }

    /// The alarms of the worker's own open check-ins still ahead of `now`.
    public static func planned(_ checkins: [CheckinView], me: String, now: Date) -> [CheckinAlarm] {
        checkins.filter { $0.worker == me && $0.endedAt == nil }.flatMap { checkin -> [CheckinAlarm] in
            var alarms: [CheckinAlarm] = []
            // The core's "due soon" point (its DUE_SOON_MINUTES before the due time).
            let soon = checkin.dueSoonAt
            if soon > now {
                alarms.append(CheckinAlarm(id: identifier(checkin: checkin.id, kind: .ownDueSoon), checkin: checkin.id,
                                           kind: .ownDueSoon, at: soon, place: checkin.place))
            }
            if checkin.dueAt > now {
                alarms.append(CheckinAlarm(id: identifier(checkin: checkin.id, kind: .ownOverdue), checkin: checkin.id,
                                           kind: .ownOverdue, at: checkin.dueAt, place: checkin.place))
            }
            return alarms
        }
    }

    /// What to change, given the alarms scheduled now (identifier → time): those no longer
    /// planned, or planned at another time, are removed; the planned ones not scheduled at their
    /// time are added (a time within a second is the same time).
    public static func changes(scheduled: [String: Date], planned: [CheckinAlarm]) -> (remove: [String], add: [CheckinAlarm]) {
        let plannedIds = Set(planned.map(\.id))
        var remove = scheduled.keys.filter { $0.hasPrefix(prefix) && !plannedIds.contains($0) }
        var add: [CheckinAlarm] = []
        for alarm in planned {
            if let at = scheduled[alarm.id] {
                if abs(at.timeIntervalSince(alarm.at)) < 1 { continue }
                remove.append(alarm.id)
            }
            add.append(alarm)
        }
        return (remove.sorted(), add)
    }

    /// The alarm's title, the core's label of its alert kind in `language`.
    public static func title(_ alarm: CheckinAlarm, language: Language) -> String {
        let code = GadeplanKit.code(of: alarm.kind)
        return instrumentDefinitions().safety.alertKinds.first { $0.code == code }?.text(language) ?? code
    }
}
