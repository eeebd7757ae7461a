// Times as the worker reads them: the core hands them over as instants (java.time.Instant, a
// SystemTime in Rust), or as RFC 3339 text in UTC where a record still carries its text (A21),
// and they are shown in the phone's own time zone, to the minute: never the UTC wall clock, which
// is one or two hours wrong in Denmark. Plain Kotlin, no Android types: bindings/kotlin-test.sh
// compiles it and tests it on the JVM.

package dk.gadeplan.app.logic

import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneId
import java.time.format.DateTimeFormatter
import java.time.format.DateTimeParseException

object Times {
    private val minute: DateTimeFormatter = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
    private val clock: DateTimeFormatter = DateTimeFormatter.ofPattern("HH:mm")

    /** `instant` in `zone` (the phone's, unless a test says otherwise), e.g. "2026-11-23 14:05". */
    fun local(instant: Instant, zone: ZoneId = ZoneId.systemDefault()): String =
        minute.withZone(zone).format(instant)

    /**
     * An RFC 3339 time ("2026-11-23T13:05:00Z", or with an offset) in `zone`, e.g.
     * "2026-11-23 14:05". Text that is not such a time is given back as it is: a list screen
     * shows it rather than failing.
     */
    fun localTime(rfc3339: String, zone: ZoneId = ZoneId.systemDefault()): String =
        parse(rfc3339)?.let { local(it, zone) } ?: rfc3339

    /** The time of day ("14:05") when `instant` falls on the same day as `now` in `zone`, else
     *  the date too ("2026-11-22 14:05"): what "Sidst synkroniseret …" says. */
    fun sinceToday(instant: Instant, now: Instant, zone: ZoneId = ZoneId.systemDefault()): String =
        if (instant.atZone(zone).toLocalDate() == now.atZone(zone).toLocalDate()) {
            clock.withZone(zone).format(instant)
        } else {
            local(instant, zone)
        }

    /** The instant an RFC 3339 text names, or null. OffsetDateTime rather than Instant.parse:
     *  it takes an offset other than Z on every Android version the app runs on. */
    fun parse(rfc3339: String): Instant? = try {
        OffsetDateTime.parse(rfc3339.trim()).toInstant()
    } catch (e: DateTimeParseException) {
        null
    }
}
