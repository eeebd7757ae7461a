// Store calls off the main thread (review findings I16, A13): the core serialises a store on one
// mutex, which a sync holds while it applies each batch it pulls, so a call from the main thread
// would freeze the screen. View models (on the main actor) await `run`, which does the call on
// one serial queue of its own and resumes them with the answer; no thread of Swift's cooperative
// pool is ever blocked on the core.

import Foundation

public final class StoreQueue: @unchecked Sendable {
    private let queue: DispatchQueue

    public init(label: String = "dk.gadeplan.store") {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    public func run<T>(_ work: @escaping () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    continuation.resume(returning: try work())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }
}
