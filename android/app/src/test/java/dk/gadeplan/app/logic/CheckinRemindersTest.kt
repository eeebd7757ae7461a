// When the worker's own check-in is told on the phone (audit P4): the reminder's delay up to the
// core's due-soon point, then up to the due time (at once when past), one per own open check-in,
// a later time after an extension (REPLACE keeps the one unique name), and at firing: the core's
// due-soon reminder told with the due time scheduled next, the core's alert for an overdue own
// check-in told offline (no sync), nothing once it is ended, again later when not yet due.

package dk.gadeplan.app.logic

import dk.gadeplan.core.CheckinEndInput
import dk.gadeplan.core.CheckinExtensionInput
import dk.gadeplan.core.CheckinInput
import dk.gadeplan.core.CheckinReason
import dk.gadeplan.core.Language
import dk.gadeplan.core.NewEntry
import java.time.Instant
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertTrue

class CheckinRemindersTest {
    private val phone = Phone()
    private lateinit var store: PhoneStore

    @AfterTest
    fun tearDown() {
        if (::store.isInitialized) runCatching { store.store()?.close() }
        phone.dir.deleteRecursively()
    }

    @Test
    fun aCheckinIsRemindedAtItsDueTimeAndToldOfflineWhenItFires() {
        store = phone.start()
        store.route()
        store.enrol(TestCentre.url, TestCentre.code("Mette"), "Mette", centreTransport())
        val core = store.store()!!
        val started = Instant.now().minusSeconds(15 * 60)
        core.record(NewEntry.CheckinStarted(CheckinInput("Sundholmsvej 9", "Jonas", 30u, CheckinReason.SOLO_HOME_VISIT, occurredAt = started.toString())))
        val open = core.checkins().single { it.worker == "Mette" && it.endedAt == null }
        val now = Instant.now()
        val reminder = CheckinReminders.at(open, now)
        assertEquals(CheckinReminders.name(open.id), reminder.name)
        assertEquals(java.time.Duration.between(now, open.dueSoonAt).toMillis(), reminder.delayMillis, "first the core's due-soon point")
        assertTrue(reminder.delayMillis in 4 * 60_000L..5 * 60_000L, "about five minutes to it: ${reminder.delayMillis}")
        assertEquals(listOf(reminder), CheckinReminders.plan(core.checkins(), "Mette", now))
        assertEquals(emptyList(), CheckinReminders.plan(core.checkins(), "Jonas", now), "only one's own")
        assertEquals(0L, CheckinReminders.at(open, open.dueAt.plusSeconds(60)).delayMillis, "past due: at once")

        // Fired before the due time (say the clock moved): scheduled again for it.
        assertIs<CheckinReminders.Fired.Later>(CheckinReminders.fired(open.id, core.checkins(), core.alerts(), "Mette", now, Language.DANISH))

        // Extended: the same name, a later time (REPLACE moves it).
        core.record(NewEntry.CheckinExtended(CheckinExtensionInput(checkin = open.id, minutes = 15u)))
        val extended = core.checkins().single { it.id == open.id }
        val later = CheckinReminders.at(extended, now)
        assertEquals(reminder.name, later.name)
        assertEquals(java.time.Duration.between(now, extended.dueSoonAt).toMillis(), later.delayMillis)
        assertTrue(later.delayMillis > reminder.delayMillis, "the due time moved later")

        // Fired after the due time, with no sync at all: the core's own-overdue alert is told.
        val after = extended.dueAt.plusSeconds(60)
        val told = assertIs<CheckinReminders.Fired.Tell>(CheckinReminders.fired(open.id, core.checkins(), core.alerts(), "Mette", after, Language.DANISH))
        assertTrue(told.alerts.all { it.checkin == open.id && it.notify })
        assertTrue(told.text.contains("Sundholmsvej 9"), told.text)
        assertEquals(CheckinReminders.Fired.Nothing, CheckinReminders.fired(open.id, core.checkins(), core.alerts(), "Jonas", after, Language.DANISH))

        core.record(NewEntry.CheckinEnded(CheckinEndInput(checkin = open.id, code = null)))
        assertEquals(CheckinReminders.Fired.Nothing, CheckinReminders.fired(open.id, core.checkins(), core.alerts(), "Mette", after, Language.DANISH), "ended: nothing")
        assertEquals(emptyList(), CheckinReminders.plan(core.checkins(), "Mette", now))
    }

    @Test
    fun aCheckinFallingDueSoonIsToldByThePhoneAndItsDueTimeScheduledNext() {
        store = phone.start()
        store.route()
        store.enrol(TestCentre.url, TestCentre.code("Mette"), "Mette", centreTransport())
        val core = store.store()!!
        // Due in five minutes: inside the core's due-soon window now.
        val started = Instant.now().minusSeconds(25 * 60)
        core.record(NewEntry.CheckinStarted(CheckinInput("Sundholmsvej 9", "Jonas", 30u, CheckinReason.SOLO_HOME_VISIT, occurredAt = started.toString())))
        val open = core.checkins().single { it.worker == "Mette" && it.endedAt == null }
        val now = Instant.now()
        assertTrue(now.isAfter(open.dueSoonAt) && now.isBefore(open.dueAt))
        val next = CheckinReminders.at(open, now)
        assertEquals(java.time.Duration.between(now, open.dueAt).toMillis(), next.delayMillis, "past the due-soon point: the due time")
        val told = assertIs<CheckinReminders.Fired.Tell>(CheckinReminders.fired(open.id, core.checkins(), core.alerts(), "Mette", now, Language.DANISH))
        assertTrue(told.alerts.isNotEmpty() && told.alerts.all { it.checkin == open.id && it.kind == dk.gadeplan.core.AlertKind.OWN_DUE_SOON }, "${told.alerts}")
        assertTrue(told.alerts.none { it.notify }, "a sync does not tell it again")
        assertEquals(CheckinReminders.name(open.id), told.next?.name)
        assertTrue(told.next!!.delayMillis in 1..5 * 60_000L, "then the due time: ${told.next}")
    }
}
