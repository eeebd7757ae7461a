// The worker's last choices on the contact screen (audit P5, review finding A31, as Android's
// platform/ContactDefaults.kt): where, which kind of contact, which outcome, as the core's codes
// only (nothing about a citizen), so the next contact is a few taps. After a HIGH check no
// outcome is preselected: "contact made" must be the worker's choice, never a default.

import Foundation
import GadeplanCore

/// The contact screen's three pickers, as codes; "" is "nothing chosen".
public struct ContactChoices: Equatable, Sendable {
    public var placeKind: String
    public var kind: String
    public var outcome: String

    public init(placeKind: String = "", kind: String = "", outcome: String = "") {
        self.placeKind = placeKind
        self.kind = kind
        self.outcome = outcome
    }
}

public final class ContactDefaults: @unchecked Sendable {
    private let defaults: UserDefaults
    private static let placeKey = "dk.gadeplan.contact.place-kind"
    private static let kindKey = "dk.gadeplan.contact.kind"
    private static let outcomeKey = "dk.gadeplan.contact.outcome"

    public init(defaults: UserDefaults = .standard) {
        self.defaults = defaults
    }

    /// The choices of the last contact saved (empty codes when none was).
    public func last() -> ContactChoices {
        ContactChoices(placeKind: defaults.string(forKey: Self.placeKey) ?? "",
                       kind: defaults.string(forKey: Self.kindKey) ?? "",
                       outcome: defaults.string(forKey: Self.outcomeKey) ?? "")
    }

    public func remember(_ choices: ContactChoices) {
        defaults.set(choices.placeKind, forKey: Self.placeKey)
        defaults.set(choices.kind, forKey: Self.kindKey)
        defaults.set(choices.outcome, forKey: Self.outcomeKey)
    }

    /// At sign-out.
    public func clear() {
        [Self.placeKey, Self.kindKey, Self.outcomeKey].forEach { defaults.removeObject(forKey: $0) }
    }

    /// What a new contact starts with: the last choices, but no outcome when the approach follows
    /// a HIGH band (the worker says what happened; "contact made" is never preselected then).
    public static func preselected(last: ContactChoices, band: RiskBand?) -> ContactChoices {
        var choices = last
        if band == .high { choices.outcome = "" }
        return choices
    }
}
