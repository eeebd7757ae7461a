// Times for the worker, in the phone's time zone (review findings I19, A21). The core gives most
// times as `Date` (its `Time`), and some as RFC 3339 text in UTC with milliseconds
// ("2026-11-23T13:05:00.250Z": a plan's date, a conflict's value, a guarantee's last day); both
// are shown here as local time, never the UTC digits as if they were local.

import Foundation
import GadeplanCore

public enum Times {
    private static let withFraction: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
    private static let plain: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f
    }()
    private static let day: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate]
        return f
    }()

    /// An RFC 3339 time (with or without fractional seconds) or a date ("2026-11-23"), or nil.
    public static func parse(_ text: String) -> Date? {
        withFraction.date(from: text) ?? plain.date(from: text) ?? day.date(from: text)
    }

    static func locale(_ language: Language) -> Locale {
        Locale(identifier: language == .english ? "en_GB" : "da_DK")
    }

    /// `date` in the language's short or medium styles, in `zone`: the one formatter of this file.
    static func formatted(_ date: Date, language: Language, zone: TimeZone,
                          dateStyle: DateFormatter.Style, timeStyle: DateFormatter.Style) -> String {
        let f = DateFormatter()
        f.locale = locale(language)
        f.timeZone = zone
        f.dateStyle = dateStyle
        f.timeStyle = timeStyle
        return f.string(from: date)
    }

    /// "23.11.2026 14.05" in Danish, "23/11/2026, 14:05" in English, in `zone`.
    public static func local(_ date: Date, language: Language, zone: TimeZone = .current) -> String {
        formatted(date, language: language, zone: zone, dateStyle: .short, timeStyle: .short)
    }

    /// The RFC 3339 `text` as local time; the text itself when it cannot be read.
    public static func local(_ text: String, language: Language, zone: TimeZone = .current) -> String {
        guard let date = parse(text) else { return text }
        if text.count == 10 { return dayOnly(date, language: language, zone: TimeZone(identifier: "UTC")!) }
        return local(date, language: language, zone: zone)
    }

    /// Only the clock: "14.05".
    public static func clock(_ date: Date, language: Language, zone: TimeZone = .current) -> String {
        formatted(date, language: language, zone: zone, dateStyle: .none, timeStyle: .short)
    }

    /// Only the date: "23.11.2026".
    public static func dayOnly(_ date: Date, language: Language, zone: TimeZone = .current) -> String {
        formatted(date, language: language, zone: zone, dateStyle: .medium, timeStyle: .none)
    }

    /// The phone's offset from UTC now, in minutes (for `todaysLog`).
    public static func utcOffsetMinutes(zone: TimeZone = .current, at date: Date = Date()) -> Int32 {
        Int32(zone.secondsFromGMT(for: date) / 60)
    }
}
