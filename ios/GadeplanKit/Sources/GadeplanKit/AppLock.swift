// The app lock's policy (review finding M2): locked at a cold start, and again when the app comes
// back after more than `timeout` in the background. It only decides; the app asks for Face ID or
// the passcode (LAContext .deviceOwnerAuthentication) while `locked`. The lock is at the UI only:
// the store's key stays readable after the first unlock, so background sync runs on a locked
// phone (ADR 0005).

import Foundation

public final class AppLock {
    public let timeout: TimeInterval
    private let clock: () -> Date
    private var backgroundedAt: Date?
    public private(set) var locked = true

    public init(timeout: TimeInterval = 5 * 60, clock: @escaping () -> Date = { Date() }) {
        self.timeout = timeout
        self.clock = clock
    }

    /// The app left the screen.
    public func backgrounded() {
        if backgroundedAt == nil { backgroundedAt = clock() }
    }

    /// The app is back: locked again when it was away longer than the timeout.
    public func foregrounded() {
        if let since = backgroundedAt, clock().timeIntervalSince(since) >= timeout {
            locked = true
        }
        backgroundedAt = nil
    }

    /// The worker proved it is them.
    public func unlocked() {
        locked = false
        backgroundedAt = nil
    }
}
