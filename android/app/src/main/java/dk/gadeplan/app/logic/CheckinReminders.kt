// The worker's own check-in told on the phone when it falls due soon and at its due time, even
// offline (M6, audit P4): the
// core's alerts reach the worker only after a sync, and a worker inside a home visit is often
// without a network. This file decides WHEN (plain Kotlin, tested on the JVM); sync/CheckinDueWorker
// adapts it to WorkManager: one unique one-time work per check-in with an initial delay up to its
// due time, REPLACE when it is extended (the new due time wins), cancelled when it ends.
//
// When the work fires it asks again: the check-in must still be the worker's, open, and due; what
// is told is the core's alert for it (its kind's label, `notify`), worked out offline from the
// store. A check-in the phone no longer knows as open is not told (ended meanwhile, on another
// way than this screen); one whose due time moved later is scheduled again for the new time.
//
// Two points, both the core's: `dueSoonAt` (the core's own "due soon" reminder: its alert does not
// notify at a sync, because this local reminder tells it, with or without signal) and `dueAt`.
// The one unique work goes to the next of them; having told the first, it schedules the second.

package dk.gadeplan.app.logic

import dk.gadeplan.core.Alert
import dk.gadeplan.core.AlertKind
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

    /** Started or extended: the reminder at the next of its due-soon and due times (at once if
     *  the due time is already past). */
    fun at(checkin: CheckinView, now: Instant): DueReminder {
        val next = if (now.isBefore(checkin.dueSoonAt)) checkin.dueSoonAt else checkin.dueAt
        return DueReminder(checkin.id, name(checkin.id), Duration.between(now, next).toMillis().coerceAtLeast(0L))
    }

    /** The reminders the phone should hold: one per own check-in still open. */
    fun plan(checkins: List<CheckinView>, me: String, now: Instant): List<DueReminder> =
        checkins.filter { it.worker == me && it.endedAt == null }.map { at(it, now) }

    /** When the work for `checkin` fires: what to do. */
    sealed interface Fired {
        /** Tell the worker these alerts (the core's, for this check-in), in `text`; then schedule
         *  `next` (the due time, after the due-soon reminder), if any. */
        data class Tell(val alerts: List<Alert>, val text: String, val next: DueReminder? = null) : Fired
        /** Not due yet (extended meanwhile): schedule again. */
        data class Later(val reminder: DueReminder) : Fired
        /** Ended, not the worker's, or nothing the core says to tell: nothing. */
        data object Nothing : Fired
    }

    fun fired(checkin: String, checkins: List<CheckinView>, alerts: List<Alert>, me: String, now: Instant, language: Language): Fired {
        val view = checkins.firstOrNull { it.id == checkin } ?: return Fired.Nothing
        if (view.worker != me || view.endedAt != null) return Fired.Nothing
        if (now.isBefore(view.dueSoonAt)) return Fired.Later(at(view, now))
        if (now.isBefore(view.dueAt)) {
            // The due-soon point: the core's own reminder for this check-in, which only this
            // local reminder tells (its `notify` is false so that a sync does not tell it twice).
            val soon = alerts.filter { it.checkin == checkin && it.kind == AlertKind.OWN_DUE_SOON }
            val next = at(view, now)
            return if (soon.isEmpty()) Fired.Later(next) else Fired.Tell(soon, alertsText(soon, language), next)
        }
        val told = alerts.filter { it.checkin == checkin && it.notify }
        if (told.isEmpty()) return Fired.Nothing
        return Fired.Tell(told, alertsText(told, language))
    }
}

/** The core's alerts as one notification text: "<kind label>: <worker>, <place>" per line. */
fun alertsText(alerts: List<Alert>, language: Language): String = alerts.joinToString("\n") { alert ->
    "${words(language, alert.kindLabel.da, alert.kindLabel.en)}: ${alert.worker}, ${alert.place}"
}
