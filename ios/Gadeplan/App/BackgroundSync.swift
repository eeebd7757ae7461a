// When syncs run (review findings I10, I11, I13; audit P8). The policy (when to ask, the
// debounce after a record, the one more run, what stops on a revocation, a lost key, not
// enrolled, a sign-out) is GadeplanKit's SyncSchedule, tested there with a fake clock; this only
// adapts it to the platform, on a queue of its own, never the main thread:
// - a BGAppRefreshTask (identifier dk.gadeplan.sync, UIBackgroundModes fetch), not the idle-time
//   BGProcessingTask; its expirationHandler cancels the sync's URLSession (the blocked request
//   returns at once) and completes the task; `setTaskCompleted` is called exactly once, under a
//   flag; `register`'s result is checked;
// - the sync as the app leaves the screen, under `beginBackgroundTask`, ended the same way when
//   time runs out;
// - the debounce as a cancellable dispatch work item;
// - the network path (NWPathMonitor), which also feeds the banner's "offline".
// The coordinator (GadeplanKit) runs one sync at a time and maps the outcome. The store is read
// through PhoneStore's lock-protected holder, never through the main actor.

import BackgroundTasks
import Foundation
import GadeplanCore
import GadeplanKit
import Network
import UIKit

/// Runs its closure once, whichever of two racing callers comes first.
final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var done = false

    func run(_ body: () -> Void) {
        lock.lock()
        let first = !done
        done = true
        lock.unlock()
        if first { body() }
    }
}

/// The debounce's timer: a dispatch work item, cancelled before it runs.
private final class WorkItemTimer: SyncTimer {
    let item: DispatchWorkItem

    init(_ item: DispatchWorkItem) { self.item = item }

    func cancel() { item.cancel() }
}

final class BackgroundSync: SyncPlatform, @unchecked Sendable {
    static let taskIdentifier = "dk.gadeplan.sync"

    private let queue = DispatchQueue(label: "dk.gadeplan.sync", qos: .utility)
    /// The path monitor's own queue: a change of the network path (the banner's "offline") is
    /// told at once, not after a sync of up to two minutes on the sync queue.
    private let monitorQueue = DispatchQueue(label: "dk.gadeplan.path", qos: .utility)
    private let monitor = NWPathMonitor()
    private let lock = NSLock()
    private var transports: [URLSessionTransport] = []
    private let phone: PhoneStore
    private var coordinator: SyncCoordinator!
    /// When to sync: the app tells it what happened (started, recorded, left the screen, "Synk
    /// nu", signed out).
    private(set) var schedule: SyncSchedule!
    private(set) var registered = false
    /// Told when a sync starts (whoever asked: the button, the debounce, the path, the
    /// background), every outcome and every change of the network path, on the sync queue.
    var onStart: (@Sendable () -> Void)?
    var onResult: (@Sendable (SyncResult) -> Void)?
    var onPath: (@Sendable (Bool) -> Void)?

    init(phone: PhoneStore, log: SyncLog, notifier: SyncNotifier, language: Language) {
        self.phone = phone
        coordinator = SyncCoordinator(
            phone: phone,
            transportFor: { [unowned self] centre in
                let transport = URLSessionTransport(centre: centre, version: Platform.version)
                self.lock.lock()
                self.transports.append(transport)
                self.lock.unlock()
                return transport
            },
            log: log, notifier: notifier, language: language)
        schedule = SyncSchedule(platform: self)
    }

    /// Registers the background task; call before the app finishes launching (App.init).
    func register() {
        registered = BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.taskIdentifier, using: nil) { [weak self] task in
            guard let self, let refresh = task as? BGAppRefreshTask else {
                task.setTaskCompleted(success: false)
                return
            }
            self.handle(refresh)
        }
        assert(registered, "BGTaskSchedulerPermittedIdentifiers must list \(Self.taskIdentifier) (project.yml)")
    }

    func startMonitoring() {
        monitor.pathUpdateHandler = { [weak self] path in
            let online = path.status == .satisfied
            self?.onPath?(online)
            self?.schedule?.pathChanged(online: online)
        }
        monitor.start(queue: monitorQueue)
    }

    // MARK: SyncPlatform

    func submitRefresh(earliest: Date) {
        guard registered else { return }
        let request = BGAppRefreshTaskRequest(identifier: Self.taskIdentifier)
        request.earliestBeginDate = earliest
        do {
            try BGTaskScheduler.shared.submit(request)
        } catch {
            // Unavailable in the simulator and when background refresh is off: the foreground,
            // the path monitor and the background-entry sync still run.
            NSLog("Gadeplan: background refresh not scheduled: \(error)")
        }
    }

    func cancelRefresh() {
        BGTaskScheduler.shared.cancel(taskRequestWithIdentifier: Self.taskIdentifier)
    }

    func timer(after delay: TimeInterval, _ fire: @escaping @Sendable () -> Void) -> SyncTimer {
        let item = DispatchWorkItem { fire() }
        queue.asyncAfter(deadline: .now() + delay, execute: item)
        return WorkItemTimer(item)
    }

    func sync(_ done: @escaping @Sendable (SyncResult) -> Void) {
        runOnQueue(completion: done)
    }

    func syncWhileLeaving(_ done: @escaping @Sendable (SyncResult) -> Void) {
        if Thread.isMainThread {
            MainActor.assumeIsolated { self.syncOnLeaving(done) }
        } else {
            DispatchQueue.main.async { MainActor.assumeIsolated { self.syncOnLeaving(done) } }
        }
    }

    func unsent() -> UInt64? { phone.unsent() }

    // MARK: running

    private func runOnQueue(completion: (@Sendable (SyncResult) -> Void)? = nil) {
        queue.async { [weak self] in
            guard let self else { return }
            self.onStart?()
            let result = self.coordinator.syncOnce()
            // The sync is over (syncs run one after another on this queue): its transport's
            // session is finished, so it is let go rather than kept for a later cancel.
            self.lock.lock()
            self.transports.removeAll()
            self.lock.unlock()
            self.onResult?(result)
            completion?(result)
        }
    }

    /// Cancels the requests of the sync under way: it returns `offline: cancelled` at once.
    private func cancelRunning() {
        lock.lock()
        let running = transports
        transports.removeAll()
        lock.unlock()
        running.forEach { $0.cancel() }
    }

    private func handle(_ task: BGAppRefreshTask) {
        let once = Once()
        task.expirationHandler = { [weak self] in
            self?.cancelRunning()
            once.run { task.setTaskCompleted(success: false) }
        }
        schedule.refreshTaskRan { success in
            once.run { task.setTaskCompleted(success: success) }
        }
    }

    /// One sync as the app leaves the screen, in the time iOS grants for it.
    @MainActor
    private func syncOnLeaving(_ done: @escaping @Sendable (SyncResult) -> Void) {
        let once = Once()
        let box = TaskBox()
        box.id = UIApplication.shared.beginBackgroundTask(withName: "dk.gadeplan.sync") { [weak self] in
            self?.cancelRunning()
            once.run { MainActor.assumeIsolated { UIApplication.shared.endBackgroundTask(box.id) } }
        }
        guard box.id != .invalid else { return }
        runOnQueue { result in
            done(result)
            Task { @MainActor in
                once.run { UIApplication.shared.endBackgroundTask(box.id) }
            }
        }
    }
}

/// The background task's identifier, shared by its expiration handler and the sync's end.
private final class TaskBox: @unchecked Sendable {
    var id: UIBackgroundTaskIdentifier = .invalid
}
