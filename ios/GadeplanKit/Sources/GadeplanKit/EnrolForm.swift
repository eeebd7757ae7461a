// The enrolment form's rules that are not drawing (review findings I26, M1): the centre's
// address must be https (http only to the phone itself, a developer's centre), and a scanned QR
// code or an opened `gadeplan://enrol?centre=…&code=…` link is read by the core's
// `parseEnrolLink`, so both shells read it alike.

import Foundation
import GadeplanCore

/// nil when `text` is a usable centre address, else what is wrong with it.
public func checkCentreAddress(_ text: String, language: Language) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !trimmed.isEmpty else {
        return words("Skriv centrets adresse.", "Enter the centre's address.", language)
    }
    guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
          let host = url.host, !host.isEmpty else {
        return words("Adressen skal se ud som https://center.eksempel.dk.",
                     "The address must look like https://centre.example.org.", language)
    }
    switch scheme {
    case "https":
        return nil
    case "http" where isLoopback(url):
        return nil
    case "http":
        return words("Adressen skal begynde med https://: data sendes kun krypteret.",
                     "The address must start with https://: data is sent encrypted only.", language)
    default:
        return words("Adressen skal begynde med https://.", "The address must start with https://.", language)
    }
}

/// The centre and code of a scanned or opened enrolment link; nil when it is not one.
public func enrolLinkFrom(_ text: String) -> EnrolLink? {
    try? parseEnrolLink(link: text.trimmingCharacters(in: .whitespacesAndNewlines))
}
