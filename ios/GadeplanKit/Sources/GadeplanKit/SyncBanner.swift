// The one line at the top of the app that says where the phone stands with the centre (review
// finding M7): offline, the last sync, how many records are not sent and how many the centre
// refused, and the last problem, worst first. The counts are the core's (`syncStatus`); the
// problem is the coordinator's last record. A phone not enrolled says only that, and a full
// storage is an error here too, not only in the core's notices (audit P10, as Android).

import Foundation
import GadeplanCore

public struct Banner: Equatable, Sendable {
    public enum Level: Equatable, Sendable { case ok, info, warning, error }
    public let text: String
    public let level: Level

    public init(text: String, level: Level) {
        self.text = text
        self.level = level
    }
}

public func syncBanner(status: SyncStatus, last: SyncRecord?, online: Bool, now: Date,
                       language: Language) -> Banner {
    if !status.enrolled {
        return Banner(text: SyncCoordinator.text(.notEnrolled, language: language), level: .error)
    }
    var parts: [String] = []
    var level = Banner.Level.ok

    if let problem = last?.problem, last?.stopped ?? !problem.retryable {
        parts.append(last?.detail ?? SyncCoordinator.text(problem, language: language))
        level = .error
    } else if !online {
        parts.append(words("Offline", "Offline", language))
        level = .info
    } else if let problem = last?.problem {
        parts.append(SyncCoordinator.text(problem, language: language))
        level = .info
    }

    if status.storageFull {
        parts.append(words("Telefonens lager er fuldt – frigør plads for at optegne",
                           "The phone's storage is full – free some space to record", language))
        level = .error
    }
    if status.rejected > 0 {
        parts.append(words("\(status.rejected) afvist af centret", "\(status.rejected) refused by the centre", language))
        if level != .error { level = .warning }
    }
    if status.pending > 0 {
        parts.append(words("\(status.pending) ikke sendt", "\(status.pending) not sent", language))
        if level == .ok { level = .info }
        // The core's rule for "waiting too long" (`unsentTooLong`, from the oldest unsent entry).
        if status.unsentTooLong, level != .error {
            level = .warning
        }
    }

    if let success = last?.successAt {
        let sameDay = Calendar.current.isDate(success, inSameDayAs: now)
        let when = sameDay ? Times.clock(success, language: language) : Times.local(success, language: language)
        parts.append(words("sidst synkroniseret \(when)", "last synced \(when)", language))
    } else {
        parts.append(words("aldrig synkroniseret", "never synced", language))
        if level == .ok { level = .info }
    }

    var text = parts.joined(separator: " · ")
    if let first = text.first { text = first.uppercased() + text.dropFirst() }
    return Banner(text: text, level: level)
}
