// Every label shown comes from the core's instrument definitions, in Danish or English after the
// phone's preferred languages (review finding I5: `labelLanguage(Locale.preferredLanguages)`, not
// `Locale.current`, which follows the app's own localisations), so iOS and Android say exactly
// the same. The app's own few words go through `ui`; errors through the core's `errorText`.

import Foundation
import GadeplanCore
import GadeplanKit

/// The shell's words for the core's day rules it gives no words of its own for (the 14 days of
/// the treatment guarantee, `core/src/kinds/guarantee`; "not talked with in 14 days", the core's
/// TalkWith step): said here once, so a change of the rule is one edit, not four screens.
enum RuleWords {
    static let guaranteeDays = 14
    static let talkWithDays = 14

    static var guaranteeStartsToday: String {
        L.ui("Når det gemmes, starter behandlingsgarantien på \(guaranteeDays) dage i dag.",
             "When saved, the \(guaranteeDays)-day treatment guarantee starts today.")
    }
    static var guaranteeRule: String {
        L.ui("Behandlingen skal starte senest \(guaranteeDays) dage efter borgerens ønske.",
             "Treatment must start at the latest \(guaranteeDays) days after the citizen's wish.")
    }
    static var notTalkedWith: String {
        L.ui("Ikke talt med i \(talkWithDays) dage", "Not talked with in \(talkWithDays) days")
    }
}

enum L {
    static let language: Language = phoneLanguage()
    static let instruments = instrumentDefinitions()

    static func text(_ label: GadeplanCore.Label) -> String { label.text(language) }
    static func text(_ item: InstrumentItem) -> String { language == .english ? item.en : item.da }
    static func definition(_ item: InstrumentItem) -> String { language == .english ? item.definitionEn : item.definitionDa }
    /// The app's own few words, the only ones the core does not provide.
    static func ui(_ da: String, _ en: String) -> String { words(da, en, language) }
    /// A time in the phone's zone (I19).
    static func time(_ date: Date) -> String { Times.local(date, language: language) }
    static func time(_ text: String) -> String { Times.local(text, language: language) }
    /// Any error, worded by the core in the worker's language (I27).
    static func error(_ error: Error) -> String { describe(error, language: language) }
    /// A Brøset score out of the most the core's definition allows (one point an item), "3/6".
    static func brosetScore<N: BinaryInteger>(_ score: N) -> String {
        "\(score)/\(instruments.broset.items.count)"
    }
    /// The label among `labels` with `code`.
    static func label(_ labels: [GadeplanCore.Label], _ code: String) -> String {
        labels.first { $0.code == code }.map { text($0) } ?? code
    }
    /// The label of an enum value, by its code.
    static func label<E>(_ labels: [GadeplanCore.Label], of value: E) -> String {
        label(labels, GadeplanKit.code(of: value))
    }
}
