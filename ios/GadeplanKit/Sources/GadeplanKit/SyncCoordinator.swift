// One sync at a time, its outcome kept and the worker told (review findings I10, I11, I12, M5,
// M6; the contract's SyncCoordinator). The core already runs one sync per store file at a time
// (a second waits); this adds a process-wide try-lock so a second request (the button, a path
// change, the background task, the debounce after a record) returns `busy` at once instead of
// queuing behind the first. Every failure is `retry` or `stop` as the core advises
// (`syncAdvice`, audit P6: one rule for both shells, not a table of the shell's own), and the
// worker is told (by a notification when the app is not on screen) when the core says so; only
// the transport's own problem codes are the shell's: TLS and http-not-allowed stop and tell (a
// certificate the phone does not trust does not mend itself), and the key store's errors. The
// last outcome is kept (SyncLog) for the banner. It never throws.

import Foundation
import GadeplanCore

public enum SyncProblem: String, Codable, Equatable, CaseIterable, Sendable {
    case offline, hostNotFound, timeout, tls, httpNotAllowed
    case centreRefused, revoked, storeTooNew, storage, notEnrolled, keyLost
    /// iOS also tells a wrong clock apart (the core's ClockWrong): the worker sets the time.
    case clockWrong

    /// Worth trying again at the next chance without the worker doing anything: the banner's
    /// guess for a record kept before the core's advice was (`SyncRecord.stopped` nil).
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
    /// Whether the sync stopped (the core's advice, or the transport's TLS and http codes): the
    /// banner's error. Nil in a record kept before the advice was.
    public var stopped: Bool?

    public init(attemptAt: Date, successAt: Date?, problem: SyncProblem?, detail: String?, stopped: Bool? = nil) {
        self.attemptAt = attemptAt
        self.successAt = successAt
        self.problem = problem
        self.detail = detail
        self.stopped = stopped
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
            return failed(error, previous: previous, now: now, status: nil)
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
            return failed(error, previous: previous, now: now, status: status)
        }
    }

    private func failed(_ error: Error, previous: SyncRecord?, now: Date, status: SyncStatus?) -> SyncResult {
        let problem = Self.problem(of: error)
        let detail = describe(error, language: language)
        switch Self.advice(of: error) {
        case let .stop(tell):
            return stop(problem, detail: detail, tell: tell, previous: previous, now: now)
        case let .retry(tell):
            log.save(SyncRecord(attemptAt: now, successAt: previous?.successAt, problem: problem, detail: detail,
                                stopped: false))
            if tell {
                notifier.trouble(problem, text: detail)
                return .retry(problem)
            }
            // Quietly retried, but records waiting too long (the core's rule and words: its
            // `unsentTooLong` and the notice "unsent-long") are worth a notification.
            if let status, status.unsentTooLong,
               let notice = syncNotices(status: status).first(where: { $0.code == "unsent-long" }) {
                notifier.trouble(problem, text: notice.text(language))
            }
            return .retry(problem)
        }
    }

    /// `tell`: the core's (or the transport's) word that the worker should know now. A
    /// revocation is always notified (the data is gone; the app routes to its explanation).
    private func stop(_ problem: SyncProblem, detail: String?, tell: Bool, previous: SyncRecord?, now: Date) -> SyncResult {
        let text = detail ?? Self.text(problem, language: language)
        log.save(SyncRecord(attemptAt: now, successAt: previous?.successAt, problem: problem, detail: text,
                            stopped: true))
        if problem == .revoked {
            _ = phone.route() // closes the erased store
            notifier.revoked(text: text)
        } else if tell {
            notifier.trouble(problem, text: text)
        }
        return .stop(problem)
    }

    /// What to do after a failed sync: the core's advice (`syncAdvice`, from the error's variant
    /// and message), except for what only the shell knows: the transport's problem codes TLS and
    /// http-not-allowed (stop and tell), the transport's own errors before the core saw them
    /// (retry, quietly), and the key store's (locked: retry; gone: stop and tell).
    public static func advice(of error: Error) -> SyncAdvice {
        switch problem(of: error) {
        case .tls, .httpNotAllowed: return .stop(tell: true)
        default: break
        }
        if let core = error as? GadeplanError {
            let (variant, message) = variantAndMessage(core)
            return syncAdvice(variant: variant, message: message)
        }
        if error is TransportError { return .retry(tell: false) }
        if let vault = error as? KeyWrapperError { return vault == .locked ? .retry(tell: false) : .stop(tell: true) }
        return .retry(tell: true)
    }

    private func tellOverdue(_ store: Store) {
        guard let alerts = try? store.alerts() else { return }
        // The core says which alerts a phone notifies (`Alert.notify`: all but the own due-soon
        // reminder, which the phone's own check-in alarms give).
        let overdue = alerts.filter(\.notify)
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
