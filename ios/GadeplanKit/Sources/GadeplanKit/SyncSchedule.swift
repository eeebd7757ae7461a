// When to sync (audit P8): the policy, with no BackgroundTasks, UIKit or Network in it, so it is
// tested with a fake clock and a fake platform (Tests/SyncScheduleTests). The app's
// BackgroundSync only adapts it: BGTaskScheduler for the refresh, beginBackgroundTask for the sync
// on leaving, a dispatch timer for the debounce, the coordinator on its queue for a sync.
//
// - Once the phone is enrolled (`started`): a background refresh asked for, at the earliest
//   `refreshAfter` from now, and asked for again at every refresh run.
// - After a record: one sync `debounce` later, however many records are made meanwhile.
// - When the app leaves the screen: one sync in the time iOS grants.
// - When a network path appears, and "Synk nu": a sync now.
// - A sync that sent records and left some unsent (recorded while it ran): one more run after
//   the debounce, at most `moreRuns` in a row (Android's retry after Done).
// - Revoked, key lost, not enrolled, and sign-out: everything stops (the refresh cancelled, the
//   debounce cancelled) and nothing is asked again until `started`.
// The coordinator runs one sync at a time (SyncGate); a request while one runs is `busy`.

import Foundation
import GadeplanCore

public protocol SyncTimer: AnyObject {
    func cancel()
}

/// What the schedule asks of the platform.
public protocol SyncPlatform: AnyObject {
    /// A background refresh, at the earliest at `earliest` (one request, replacing any).
    func submitRefresh(earliest: Date)
    func cancelRefresh()
    /// Calls `fire` after `delay` seconds, unless the timer is cancelled first.
    func timer(after delay: TimeInterval, _ fire: @escaping @Sendable () -> Void) -> SyncTimer
    /// One sync (the coordinator, off the main thread); `done` is told its result.
    func sync(_ done: @escaping @Sendable (SyncResult) -> Void)
    /// One sync in the background time granted as the app leaves the screen; `done` is told.
    func syncWhileLeaving(_ done: @escaping @Sendable (SyncResult) -> Void)
    /// The worker's records not at the centre yet (nil: cannot say).
    func unsent() -> UInt64?
}

public final class SyncSchedule: @unchecked Sendable {
    /// The earliest next background refresh (iOS decides when; not before 15 minutes).
    public static let refreshAfter: TimeInterval = 15 * 60
    /// A sync this long after the last record.
    public static let debounce: TimeInterval = 20
    /// At most this many more runs in a row after a sync that left records unsent.
    public static let moreRuns = 3

    private let platform: SyncPlatform
    private let clock: () -> Date
    private let lock = NSLock()
    private var active = false
    private var pending: SyncTimer?
    private var moreRunsLeft = SyncSchedule.moreRuns

    public init(platform: SyncPlatform, clock: @escaping () -> Date = { Date() }) {
        self.platform = platform
        self.clock = clock
    }

    /// Whether syncs are asked for at all (enrolled, not revoked or signed out).
    public var isActive: Bool {
        lock.lock()
        defer { lock.unlock() }
        return active
    }

    /// The phone is enrolled and open: background refreshes asked for from now on.
    public func started() {
        lock.lock()
        active = true
        moreRunsLeft = Self.moreRuns
        lock.unlock()
        platform.submitRefresh(earliest: clock().addingTimeInterval(Self.refreshAfter))
    }

    /// A record was made: one sync `debounce` later (an earlier pending one is replaced).
    public func recorded() {
        lock.lock()
        guard active else { lock.unlock(); return }
        moreRunsLeft = Self.moreRuns
        lock.unlock()
        debounced()
    }

    /// "Synk nu", or a network path appeared. False when syncs are stopped (nothing asked).
    @discardableResult
    public func syncNow(_ done: (@Sendable (SyncResult) -> Void)? = nil) -> Bool {
        guard isActive else { return false }
        run(leaving: false, done)
        return true
    }

    public func pathChanged(online: Bool) {
        if online { syncNow() }
    }

    /// The app leaves the screen: one sync in the time granted (a pending debounce is that sync).
    public func leftScreen() {
        lock.lock()
        guard active else { lock.unlock(); return }
        let timer = pending
        pending = nil
        lock.unlock()
        timer?.cancel()
        run(leaving: true, nil)
    }

    /// A background refresh runs (iOS may launch the app for it before any screen has said
    /// `started`): the next one asked for first, then one sync, whose stop (revoked, key lost,
    /// not enrolled) cancels everything again; `completed` is told whether it did its work (a
    /// sync that got through, or one already running).
    public func refreshTaskRan(completed: @escaping @Sendable (Bool) -> Void) {
        started()
        run(leaving: false) { result in completed(Self.succeeded(result)) }
    }

    /// Sign-out, revoked, key lost, not enrolled: no sync of any kind is left.
    public func stopAll() {
        lock.lock()
        active = false
        let timer = pending
        pending = nil
        lock.unlock()
        timer?.cancel()
        platform.cancelRefresh()
    }

    /// Whether a background task's run counts as done.
    public static func succeeded(_ result: SyncResult) -> Bool {
        switch result {
        case .done, .busy: return true
        case .retry, .stop: return false
        }
    }

    /// The problems after which nothing more is asked: the phone is no longer one that syncs.
    public static func stops(_ result: SyncResult) -> Bool {
        if case let .stop(problem) = result {
            return problem == .revoked || problem == .keyLost || problem == .notEnrolled
        }
        return false
    }

    /// Every sync's outcome, whoever asked for it.
    func finished(_ result: SyncResult) {
        if Self.stops(result) {
            stopAll()
            return
        }
        guard case let .done(report) = result else { return }
        lock.lock()
        let again: Bool
        if report.pushed > 0, moreRunsLeft > 0, (platform.unsent() ?? 0) > 0, active {
            moreRunsLeft -= 1
            again = true
        } else {
            moreRunsLeft = Self.moreRuns
            again = false
        }
        lock.unlock()
        if again { debounced() }
    }

    private func debounced() {
        let timer = platform.timer(after: Self.debounce) { [weak self] in
            guard let self else { return }
            self.lock.lock()
            self.pending = nil
            self.lock.unlock()
            self.syncNow()
        }
        lock.lock()
        let previous = pending
        pending = timer
        lock.unlock()
        previous?.cancel()
    }

    private func run(leaving: Bool, _ done: (@Sendable (SyncResult) -> Void)?) {
        let finish: @Sendable (SyncResult) -> Void = { [weak self] result in
            self?.finished(result)
            done?(result)
        }
        if leaving { platform.syncWhileLeaving(finish) } else { platform.sync(finish) }
    }
}
