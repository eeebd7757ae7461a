// Times as the worker reads them: the core hands them over as instants (java.time.Instant, a
// SystemTime in Rust), and they are shown in the phone's own time zone, to the minute. Plain
// Kotlin, no Android types: bindings/kotlin-test.sh compiles it and tests it on the JVM.

package dk.gadeplan.app.ui

import java.time.Instant
import java.time.ZoneId
import java.time.format.DateTimeFormatter

object Times {
    private val minute: DateTimeFormatter = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")

    /** `instant` in `zone` (the phone's, unless a test says otherwise), e.g. "2026-11-23 14:05". */
    fun local(instant: Instant, zone: ZoneId = ZoneId.systemDefault()): String =
        minute.withZone(zone).format(instant)
}
