// Any error the app catches, in the worker's language (review findings I27, A34). The core's own
// errors go back to the core, which words them (`errorText`: the variant's name and the English
// message in, Danish or English out), so no shell keeps a copy of the core's list of errors; the
// few errors of the shell itself (the key vault, the transport) are worded here.

import Foundation
import GadeplanCore

/// `error` as a sentence for the worker.
public func describe(_ error: Error, language: Language) -> String {
    if let core = error as? GadeplanError {
        let (variant, message) = variantAndMessage(core)
        return errorText(variant: variant, message: message, language: language)
    }
    if let transport = error as? TransportError, case let .Unreachable(detail) = transport {
        return errorText(variant: "Unreachable", message: detail, language: language)
    }
    if let vault = error as? KeyWrapperError {
        switch vault {
        case .locked:
            return words("Telefonen skal låses op, før Gadeplan kan åbne sine data.",
                         "Unlock the phone before Gadeplan can open its data.", language)
        case .missing, .corrupt:
            return words("Nøglen til telefonens data findes ikke længere.",
                         "The key to the phone's data is gone.", language)
        case let .platform(detail):
            return words("Telefonens nøglering svarede med en fejl (\(detail)).",
                         "The phone's keychain answered with an error (\(detail)).", language)
        }
    }
    if let phone = error as? PhoneStoreError {
        return phone.text(language)
    }
    return (error as NSError).localizedDescription
}

/// The enum case's name (`"PlanRequired"`) and its message, as `errorText` takes them. Read by
/// reflection rather than a switch, so a variant the core adds later still gets its words from
/// the core without a change here.
public func variantAndMessage(_ error: GadeplanError) -> (String, String) {
    let mirror = Mirror(reflecting: error)
    guard let child = mirror.children.first, let label = child.label else {
        let text = String(describing: error)
        return (String(text.prefix { $0 != "(" }), text)
    }
    if let message = child.value as? String { return (label, message) }
    // A single labelled associated value may reflect as a one-element tuple.
    if let message = Mirror(reflecting: child.value).children.first?.value as? String {
        return (label, message)
    }
    return (label, String(describing: child.value))
}

/// The app's own few words, in the worker's language (everything else is the core's).
public func words(_ danish: String, _ english: String, _ language: Language) -> String {
    language == .english ? english : danish
}

/// The worker's language from the phone's preferred languages (review finding I5: not
/// `Locale.current`, which follows the app's localisations).
public func phoneLanguage(_ preferred: [String] = Locale.preferredLanguages) -> Language {
    labelLanguage(preferred: preferred)
}

extension GadeplanCore.Label {
    /// The label in `language`.
    public func text(_ language: Language) -> String { language == .english ? en : da }
}

/// The core's errors as `LocalizedError`, in the core's own words in the phone's language
/// (core/uniffi.toml sets `omit_localized_error_conformance`, so the bindings do not dump the enum
/// as their description): any `error.localizedDescription` the system or a framework shows says
/// what `describe` says. `@retroactive` (Swift 5.10 and newer): both the type and the protocol are
/// another module's, which the compiler warns about otherwise.
extension GadeplanError: @retroactive LocalizedError {
    public var errorDescription: String? { describe(self, language: phoneLanguage()) }
}
