// One sync at a time, its outcome kept and the worker told (review findings I10, I11, I12, M5,
// M6; the contract's SyncCoordinator). The core already runs one sync per store file at a time
// (a second waits); this adds a process-wide try-lock so a second request (the button, a path
// change, the background task, the debounce after a record) returns `busy` at once instead of
// queuing behind the first. Every outcome is mapped: `retry` (no signal, a timeout: nothing to
// tell, the next chance will do), `stop` (revoked, refused, too new, storage, not enrolled, key
// lost: the worker is told, by a notification when the app is not on screen), or `done`. The
// last outcome is kept (SyncLog) for the banner. It never throws.

import Foundation
import GadeplanCore

public enum SyncProblem: String, Codable, Equatable, CaseIterable, Sendable {
    case offline, hostNotFound, timeout, tls, httpNotAllowed
    case centreRefused, revoked, storeTooNew, storage, notEnrolled, keyLost
    /// iOS also tells a wrong clock apart (the core's ClockWrong): the worker sets the time.
    case clockWrong

    /// Worth trying again at the next chance without the worker doing anything.
    public var retryable: Bool {
        switch self {
        // TLS and http-not-allowed stop and tell the worker, as on Android (audit P6): a
        // certificate the phone does not trust does not mend itself by trying again.
        case .offline, .hostNotFound, .timeout: return true
        default: return false
        }
    }
}

public struct SyncRecord: Codable, Equatable, Sendable {
    public var attemptAt: Date
    /// The last sync that got through (carried over by failures).
    public var successAt: Date?
    public var problem: SyncProblem?
    /// The problem in the worker's words.
    public var detail: String?

    public init(attemptAt: Date, successAt: Date?, problem: SyncProblem?, detail: String?) {
        self.attemptAt = attemptAt
        self.successAt = successAt
        self.problem = problem
        self.detail = detail
    }
}

public protocol SyncLog: AnyObject {
    func save(_ record: SyncRecord)
    func last() -> SyncRecord?
}

public protocol SyncNotifier: AnyObject {
    /// A problem the worker must act on, or records unsent for too long.
    func trouble(_ problem: SyncProblem, text: String)
    func revoked(text: String)
    /// Check-ins overdue (a colleague's, or the worker's own).
    func overdueCheckins(_ alerts: [GadeplanCore.Alert], text: String)
    /// All is well again: take back the trouble notices.
    func clear()
}

public enum SyncResult: Equatable, Sendable {
    case done(SyncReport)
    case retry(SyncProblem)
    case stop(SyncProblem)
    case busy
}

/// One sync, or one wipe, at a time in the whole process (Android's SyncGate, audit P7): the
/// coordinator try-locks it (a second sync is `busy`), `PhoneStore.wipe` waits for it, so a
/// store is never erased under a running sync. Taken before PhoneStore's key lock, never after.
enum SyncGate {
    static let lock = NSLock()
}

public final class SyncCoordinator: @unchecked Sendable {
    /// Records not at the centre for longer than this are worth a notification.
    public static let unsentTooLong: TimeInterval = 8 * 3600

    private let phone: PhoneStore
    private let transportFor: (String) -> Transport
    private let log: SyncLog
    private let notifier: SyncNotifier
    private let clock: () -> Date
    private let language: Language

    public init(phone: PhoneStore, transportFor: @escaping (String) -> Transport, log: SyncLog,
                notifier: SyncNotifier, clock: @escaping () -> Date = { Date() }, language: Language) {
        self.phone = phone
        self.transportFor = transportFor
        self.log = log
        self.notifier = notifier
        self.clock = clock
        self.language = language
    }

    /// One sync run. Blocks: call it off the main thread.
    public func syncOnce() -> SyncResult {
        guard SyncGate.lock.try() else { return .busy }
        defer { SyncGate.lock.unlock() }
        let now = clock()
        let previous = log.last()
        if phone.store() == nil {
            // Already said on the screen (and, for a revocation, notified when it happened): no
            // record and no notification again at every chance to sync.
            switch phone.route() {
            case .keyLost: return .stop(.keyLost)
            case .revoked: return .stop(.revoked)
            case .locked: return .retry(.storage)
            default: break
            }
        }
        guard let store = phone.store() else { return .stop(.notEnrolled) }
        let status: SyncStatus
        do {
            status = try store.syncStatus()
        } catch {
            return failed(error, previous: previous, now: now, pending: nil)
        }
        guard status.enrolled, let centre = status.centre else { return .stop(.notEnrolled) }
        let transport = transportFor(centre)
        defer { (transport as? URLSessionTransport)?.finish() }
        do {
            let report = try store.sync(transport: transport)
            log.save(SyncRecord(attemptAt: now, successAt: now, problem: nil, detail: nil))
            notifier.clear()
            tellOverdue(store)
            return .done(report)
        } catch {
            return failed(error, previous: previous, now: now, pending: status.pending)
        }
    }

    private func failed(_ error: Error, previous: SyncRecord?, now: Date, pending: UInt64?) -> SyncResult {
        let problem = Self.problem(of: error)
        let detail = describe(error, language: language)
        if problem.retryable {
            log.save(SyncRecord(attemptAt: now, successAt: previous?.successAt, problem: problem, detail: detail))
            if let pending, pending > 0, let since = previous?.successAt,
               now.timeIntervalSince(since) > Self.unsentTooLong {
                notifier.trouble(problem, text: words(
                    "\(pending) registreringer er ikke sendt til centret siden \(Times.local(since, language: language)).",
                    "\(pending) records not sent to the centre since \(Times.local(since, language: language)).",
                    language))
            }
            return .retry(problem)
        }
        return stop(problem, detail: detail, previous: previous, now: now)
    }

    private func stop(_ problem: SyncProblem, detail: String?, previous: SyncRecord?, now: Date) -> SyncResult {
        let text = detail ?? Self.text(problem, language: language)
        log.save(SyncRecord(attemptAt: now, successAt: previous?.successAt, problem: problem, detail: text))
        if problem == .revoked {
            _ = phone.route() // closes the erased store
            notifier.revoked(text: text)
        } else if problem != .notEnrolled {
            notifier.trouble(problem, text: text)
        }
        return .stop(problem)
    }

    private func tellOverdue(_ store: Store) {
        guard let alerts = try? store.alerts() else { return }
        let urgent: [AlertKind] = [.colleagueOverdue, .colleagueDuress, .ownOverdue]
        let overdue = alerts.filter { urgent.contains($0.kind) }
        guard !overdue.isEmpty else { return }
        let text = overdue.map { "\($0.kindLabel.text(language)): \($0.worker), \($0.place)" }.joined(separator: "\n")
        notifier.overdueCheckins(overdue, text: text)
    }

    /// The problem an error from `sync` stands for.
    public static func problem(of error: Error) -> SyncProblem {
        if let transport = error as? TransportError, case let .Unreachable(detail) = transport {
            return problem(ofUnreachable: detail)
        }
        guard let core = error as? GadeplanError else {
            if let vault = error as? KeyWrapperError, vault != .locked { return .keyLost }
            return .offline
        }
        switch variantAndMessage(core).0 {
        case "Unreachable": return problem(ofUnreachable: variantAndMessage(core).1)
        case "Revoked": return .revoked
        case "CentreRefused": return .centreRefused
        case "StoreTooNew": return .storeTooNew
        case "NotEnrolled": return .notEnrolled
        case "WrongKey": return .keyLost
        case "ClockWrong": return .clockWrong
        default: return .storage
        }
    }

    /// The contract's problem codes, at the start of the transport's detail (the core's message
    /// may put its own words before it).
    public static func problem(ofUnreachable detail: String) -> SyncProblem {
        let codes: [(String, SyncProblem)] = [
            ("http-not-allowed:", .httpNotAllowed), ("host-not-found:", .hostNotFound),
            ("timeout:", .timeout), ("tls:", .tls), ("offline:", .offline),
        ]
        for (code, problem) in codes where detail.contains(code) { return problem }
        return .offline
    }

    /// What a problem means, for the banner and the notification, when no error said more.
    public static func text(_ problem: SyncProblem, language: Language) -> String {
        switch problem {
        case .offline: return words("Ingen forbindelse til centret.", "No connection to the centre.", language)
        case .hostNotFound: return words("Centrets adresse findes ikke.", "The centre's address was not found.", language)
        case .timeout: return words("Centret svarede ikke i tide.", "The centre did not answer in time.", language)
        case .tls: return words("Forbindelsen til centret er ikke sikker (certifikat).", "The connection to the centre is not secure (certificate).", language)
        case .httpNotAllowed: return words("Centrets adresse skal være https.", "The centre's address must be https.", language)
        case .centreRefused: return words("Centret afviste telefonen.", "The centre refused the phone.", language)
        case .revoked: return words("Centret har tilbagekaldt telefonen; dens data er slettet.", "The centre revoked this phone; its data is erased.", language)
        case .storeTooNew: return words("Opdatér Gadeplan.", "Update Gadeplan.", language)
        case .storage: return words("Telefonens lager svarede med en fejl.", "The phone's storage failed.", language)
        case .notEnrolled: return words("Telefonen er ikke tilmeldt.", "The phone is not enrolled.", language)
        case .keyLost: return words("Nøglen til telefonens data er væk.", "The key to the phone's data is gone.", language)
        case .clockWrong: return words("Telefonens ur går forkert.", "The phone's clock is wrong.", language)
        }
    }
}
