// Every label shown comes from the core's instrument definitions, in Danish or English after the
// phone's language, so iOS and Android say exactly the same.

import Foundation
import GadeplanCore

enum L {
    static let instruments = instrumentDefinitions()
    static var danish: Bool { Locale.current.language.languageCode?.identifier == "da" }

    static func text(_ label: Label) -> String { danish ? label.da : label.en }
    static func text(_ item: InstrumentItem) -> String { danish ? item.da : item.en }
    static func definition(_ item: InstrumentItem) -> String { danish ? item.definitionDa : item.definitionEn }
    /// The app's own few words, the only ones the core does not provide.
    static func ui(_ da: String, _ en: String) -> String { danish ? da : en }
}
