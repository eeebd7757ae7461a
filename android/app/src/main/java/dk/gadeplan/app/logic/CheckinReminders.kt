// The worker's own check-in told on the phone at its due time, even offline (M6, audit P4): the
// core's alerts reach the worker only after a sync, and a worker inside a home visit is often
// without a network. This file decides WHEN (plain Kotlin, tested on the JVM); sync/CheckinDueWorker
// adapts it to WorkManager: one unique one-time work per check-in with an initial delay up to its
// due time, REPLACE when it is extended (the new due time wins), cancelled when it ends.
//
// When the work fires it asks again: the check-in must still be the worker's, open, and due; what
// is told is the core's alert for it (its kind's label, `notify`), worked out offline from the
// store. A check-in the phone no longer knows as open is not told (ended meanwhile, on another
// way than this screen); one whose due time moved later is scheduled again for the new time.

package dk.gadeplan.app.logic

import dk.gadeplan.core.Alert
import dk.gadeplan.core.CheckinView
import dk.gadeplan.core.Language
import java.time.Duration
import java.time.Instant

/** A notification to schedule: unique work `name`, run after `delayMillis`. */
data class DueReminder(val checkin: String, val name: String, val delayMillis: Long)

object CheckinReminders {
    private const val PREFIX = "gadeplan-checkin-due-"

    /** The unique work's name of a check-in's reminder. */
    fun name(checkin: String): String = PREFIX + checkin

    /** Started or extended: the reminder at its due time (at once if it is already past). */
    fun at(checkin: CheckinView, now: Instant): DueReminder =
        DueReminder(checkin.id, name(checkin.id), Duration.between(now, checkin.dueAt).toMillis().coerceAtLeast(0L))

    /** The reminders the phone should hold: one per own check-in still open. */
    fun plan(checkins: List<CheckinView>, me: String, now: Instant): List<DueReminder> =
        checkins.filter { it.worker == me && it.endedAt == null }.map { at(it, now) }

    /** When the work for `checkin` fires: what to do. */
    sealed interface Fired {
        /** Tell the worker these alerts (the core's, for this check-in), in `text`. */
        data class Tell(val alerts: List<Alert>, val text: String) : Fired
        /** Not due yet (extended meanwhile): schedule again. */
        data class Later(val reminder: DueReminder) : Fired
        /** Ended, not the worker's, or nothing the core says to tell: nothing. */
        data object Nothing : Fired
    }

    fun fired(checkin: String, checkins: List<CheckinView>, alerts: List<Alert>, me: String, now: Instant, language: Language): Fired {
        val view = checkins.firstOrNull { it.id == checkin } ?: return Fired.Nothing
        if (view.worker != me || view.endedAt != null) return Fired.Nothing
        if (view.dueAt.isAfter(now)) return Fired.Later(at(view, now))
        val told = alerts.filter { it.checkin == checkin && it.notify }
        if (told.isEmpty()) return Fired.Nothing
        return Fired.Tell(told, alertsText(told, language))
    }
}

/** The core's alerts as one notification text: "<kind label>: <worker>, <place>" per line. */
fun alertsText(alerts: List<Alert>, language: Language): String = alerts.joinToString("\n") { alert ->
    "${words(language, alert.kindLabel.da, alert.kindLabel.en)}: ${alert.worker}, ${alert.place}"
}
