// The core's errors carry their human-readable text (`message`); show that, not Swift's dump of
// the enum (uniffi's LocalizedError conformance is switched off in core/uniffi.toml for this).

import Foundation
import GadeplanCore

extension GadeplanError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .WrongKey(let message), .NoStore(let message), .AlreadyInitialised(let message),
             .StoreTooNew(let message), .InvalidInput(let message), .PlanRequired(let message),
             .ReasonRequired(let message), .NotFound(let message), .NotAllowed(let message),
             .NotEnrolled(let message), .Revoked(let message), .CentreRefused(let message),
             .Unreachable(let message), .Storage(let message):
            return message
        }
    }
}

extension TransportError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .Unreachable(let detail): return detail
        }
    }
}
