// The core's sync transport over URLSession (the system's TLS, proxies and certificates). The
// core calls `send` synchronously from the sync's thread, several at once during a pull, so it
// waits for each answer on a semaphore; it returns the body whatever the HTTP status (refusals
// are JSON the core reads). Review findings I14 and I15:
// - a resource timeout of two minutes besides the request's idle timeout, so a trickling
//   connection cannot hold a sync (or outlive a background task) for the default seven days;
// - one session per transport, invalidated by `finish()` when the sync ends or `cancel()` when
//   the background window ends (the blocked `send` then returns `offline: cancelled`);
// - the answer handed from the completion handler in a lock-guarded box, not a captured `var`.
// A failure's detail starts with one of the contract's problem codes ("offline: …",
// "host-not-found: …", "timeout: …", "tls: …", "http-not-allowed: …"), which the coordinator
// reads back. Requests say `User-Agent: Gadeplan-iOS/<version>`.

import Foundation
import GadeplanCore

public final class URLSessionTransport: Transport, @unchecked Sendable {
    private let base: String
    private let session: URLSession
    private let userAgent: String
    /// Set once the session is invalidated: no task may be made on it after that (an
    /// invalidated session raises an exception instead).
    private let state = NSLock()
    private var invalidated = false

    public init(centre: String, version: String, requestTimeout: TimeInterval = 30,
                resourceTimeout: TimeInterval = 120) {
        base = centre.hasSuffix("/") ? String(centre.dropLast()) : centre
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = requestTimeout
        config.timeoutIntervalForResource = resourceTimeout
        config.waitsForConnectivity = false
        config.urlCache = nil
        config.httpCookieStorage = nil
        session = URLSession(configuration: config)
        userAgent = "Gadeplan-iOS/\(version)"
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Lets running requests end, then releases the session (call when the sync is over).
    public func finish() {
        state.lock()
        invalidated = true
        state.unlock()
        session.finishTasksAndInvalidate()
    }

    /// Cancels every request now: a blocked `send` returns `offline: cancelled`.
    public func cancel() {
        state.lock()
        invalidated = true
        state.unlock()
        session.invalidateAndCancel()
    }

    public func send(endpoint: String, token: String?, body: Data) throws -> Data {
        guard let url = URL(string: "\(base)/v1/\(endpoint)"), let scheme = url.scheme?.lowercased(),
              url.host != nil else {
            throw TransportError.Unreachable(detail: "host-not-found: not a centre address")
        }
        if scheme == "http", !isLoopback(url) {
            throw TransportError.Unreachable(detail: "http-not-allowed: the centre must be https")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(userAgent, forHTTPHeaderField: "User-Agent")
        if let token {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        request.httpBody = body
        let box = AnswerBox()
        let done = DispatchSemaphore(value: 0)
        state.lock()
        guard !invalidated else {
            state.unlock()
            throw TransportError.Unreachable(detail: "offline: cancelled")
        }
        let task = session.dataTask(with: request) { data, _, error in
            if let error {
                box.set(.failure(TransportError.Unreachable(detail: URLSessionTransport.problem(error))))
            } else {
                box.set(.success(data ?? Data()))
            }
            done.signal()
        }
        task.resume()
        state.unlock()
        done.wait()
        return try box.get()
    }

    /// The contract's problem code for a URLSession error, then what the system said.
    static func problem(_ error: Error) -> String {
        let ns = error as NSError
        let said = ns.localizedDescription
        guard ns.domain == NSURLErrorDomain else { return "offline: \(said)" }
        switch URLError.Code(rawValue: ns.code) {
        case .cannotFindHost, .dnsLookupFailed:
            return "host-not-found: \(said)"
        case .timedOut:
            return "timeout: \(said)"
        case .secureConnectionFailed, .serverCertificateHasBadDate, .serverCertificateUntrusted,
             .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid,
             .clientCertificateRejected, .clientCertificateRequired:
            return "tls: \(said)"
        case .appTransportSecurityRequiresSecureConnection:
            return "http-not-allowed: \(said)"
        default:
            return "offline: \(said)"
        }
    }
}

/// http only to the phone itself (a developer's centre on the Mac running the simulator).
func isLoopback(_ url: URL) -> Bool {
    guard let host = url.host?.lowercased() else { return false }
    return host == "localhost" || host == "127.0.0.1" || host == "::1" || host == "[::1]"
}

/// The answer, set once by the completion handler and read after the semaphore.
private final class AnswerBox: @unchecked Sendable {
    private let lock = NSLock()
    private var answer: Result<Data, Error> = .failure(TransportError.Unreachable(detail: "offline: no answer"))

    func set(_ value: Result<Data, Error>) {
        lock.lock()
        answer = value
        lock.unlock()
    }

    func get() throws -> Data {
        lock.lock()
        defer { lock.unlock() }
        return try answer.get()
    }
}
