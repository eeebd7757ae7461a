// The core's sync transport over URLSession (the system's TLS, proxies and certificates). The
// core calls it synchronously from the sync's background task, so it waits for the answer; it
// returns the answer's bytes whatever the status (refusals are JSON the core reads). The device
// token, when the core gives one, goes in the Authorization header (protocol 2).

import Foundation
import GadeplanCore

final class URLSessionTransport: Transport, @unchecked Sendable {
    private let base: String
    private let session: URLSession

    init(centre: String) {
        base = centre.hasSuffix("/") ? String(centre.dropLast()) : centre
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 60
        config.waitsForConnectivity = false
        session = URLSession(configuration: config)
    }

    func send(endpoint: String, token: String?, body: Data) throws -> Data {
        guard let url = URL(string: "\(base)/v1/\(endpoint)") else {
            throw TransportError.Unreachable(detail: "bad centre address")
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        if let token {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        request.httpBody = body
        let done = DispatchSemaphore(value: 0)
        var answer: Result<Data, Error> = .failure(TransportError.Unreachable(detail: "no answer"))
        session.dataTask(with: request) { data, _, error in
            if let error {
                answer = .failure(TransportError.Unreachable(detail: (error as NSError).localizedDescription))
            } else {
                answer = .success(data ?? Data())
            }
            done.signal()
        }.resume()
        done.wait()
        return try answer.get()
    }
}
