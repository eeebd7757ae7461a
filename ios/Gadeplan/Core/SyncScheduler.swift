// Sync when the network is there: NWPathMonitor starts a sync when a path becomes satisfied,
// BGTaskScheduler runs one in the background every so often, and the "sync now" button asks for
// one at once. A sync runs off the main thread; a lost connection just waits for the next chance.

import BackgroundTasks
import Foundation
import GadeplanCore
import Network

final class SyncScheduler: @unchecked Sendable {
    static let shared = SyncScheduler()
    static let taskIdentifier = "dk.gadeplan.sync"
    private let monitor = NWPathMonitor()
    private let queue = DispatchQueue(label: "dk.gadeplan.sync")
    private var running = false

    func start(store: @escaping () -> Store?) {
        BGTaskScheduler.shared.register(forTaskWithIdentifier: Self.taskIdentifier, using: nil) { task in
            self.scheduleBackground()
            self.queue.async {
                let ok = self.syncOnce(store())
                task.setTaskCompleted(success: ok)
            }
        }
        monitor.pathUpdateHandler = { path in
            if path.status == .satisfied { self.queue.async { _ = self.syncOnce(store()) } }
        }
        monitor.start(queue: queue)
        scheduleBackground()
    }

    func syncNow(_ store: Store?) {
        queue.async { _ = self.syncOnce(store) }
    }

    private func scheduleBackground() {
        let request = BGProcessingTaskRequest(identifier: Self.taskIdentifier)
        request.requiresNetworkConnectivity = true
        request.earliestBeginDate = Date(timeIntervalSinceNow: 15 * 60)
        try? BGTaskScheduler.shared.submit(request)
    }

    /// One sync run; false when it could not get through (tried again at the next chance).
    private func syncOnce(_ store: Store?) -> Bool {
        guard !running, let store, let centre = try? store.syncStatus().centre else { return true }
        running = true
        defer { running = false }
        do {
            _ = try store.sync(transport: URLSessionTransport(centre: centre))
            return true
        } catch GadeplanError.Revoked {
            return true // the core has erased this phone's data
        } catch {
            return false
        }
    }
}
