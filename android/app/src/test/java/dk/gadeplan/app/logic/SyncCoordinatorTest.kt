// One sync through the coordinator against a real centre (A15, A16, A17; M5, M6): done and
// recorded, busy while another runs, retried without a connection (and the worker told, in the
// core's words, once the core says records waited too long), stopped on a TLS failure, on a
// refusal the centre means for good (a token it does not know: the core's advice Stop, told) and
// on a revocation (told once), stopped when not enrolled, and an overdue check-in notified after
// a sync (the alerts the core marks `notify`).

package dk.gadeplan.app.logic

import dk.gadeplan.core.Alert
import dk.gadeplan.core.AlertKind
import dk.gadeplan.core.CheckinInput
import dk.gadeplan.core.CheckinReason
import dk.gadeplan.core.Language
import dk.gadeplan.core.NewEntry
import dk.gadeplan.core.NewPerson
import dk.gadeplan.core.Transport
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlin.concurrent.thread
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertIs
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

class MemoryLog : SyncLog {
    val records = mutableListOf<SyncRecord>()
    override fun save(record: SyncRecord) {
        records += record
    }
    override fun last(): SyncRecord? = records.lastOrNull()
}

class RecordingNotifier : SyncNotifier {
    val troubles = mutableListOf<Pair<SyncProblem, String>>()
    val revocations = mutableListOf<String>()
    val overdue = mutableListOf<Pair<List<Alert>, String>>()
    var cleared = 0
    override fun trouble(problem: SyncProblem, text: String) {
        troubles += problem to text
    }
    override fun revoked(text: String) {
        revocations += text
    }
    override fun overdueCheckins(alerts: List<Alert>, text: String) {
        overdue += alerts to text
    }
    override fun clear() {
        cleared++
    }
}

class SyncCoordinatorTest {
    private val phone = Phone()
    private val log = MemoryLog()
    private val notifier = RecordingNotifier()
    private val clock = TestClock()
    private lateinit var store: PhoneStore

    @AfterTest
    fun tearDown() {
        if (::store.isInitialized) runCatching { store.store()?.close() }
        phone.dir.deleteRecursively()
    }

    private fun enrolled(worker: String = "Mette"): PhoneStore {
        store = phone.start()
        store.route()
        store.enrol(TestCentre.url, TestCentre.code(worker), worker, centreTransport())
        return store
    }

    private fun coordinator(transportFor: (String) -> Transport = { centreTransport(it) }, language: Language = Language.DANISH) =
        SyncCoordinator(store, transportFor, log, notifier, clock, language)

    @Test
    fun aSyncThatGetsThroughIsDoneAndRecorded() {
        enrolled()
        store.store()!!.addPerson(NewPerson("Kim", null, null, null, null))
        val done = assertIs<SyncResult.Done>(coordinator().syncOnce())
        assertEquals(1u, done.report.pushed)
        assertEquals(SyncRecord(clock(), clock(), null, null), log.last())
        assertEquals(1, notifier.cleared)
        assertTrue(notifier.troubles.isEmpty() && notifier.overdue.isEmpty())
        assertEquals(0L, store.unsent())
    }

    @Test
    fun aSecondSyncWhileOneRunsIsBusy() {
        enrolled()
        store.store()!!.addPerson(NewPerson("Kim", null, null, null, null))
        val entered = CountDownLatch(1)
        val release = CountDownLatch(1)
        val slow = { centre: String ->
            val inner = centreTransport(centre)
            object : Transport {
                override fun send(endpoint: String, token: String?, body: ByteArray): ByteArray {
                    entered.countDown()
                    release.await(30, TimeUnit.SECONDS)
                    return inner.send(endpoint, token, body)
                }
            }
        }
        var first: SyncResult? = null
        val running = thread { first = coordinator(slow).syncOnce() }
        assertTrue(entered.await(30, TimeUnit.SECONDS), "the first sync reached the transport")
        assertEquals(SyncResult.Busy, coordinator().syncOnce())
        val other = SyncCoordinator(Phone().start(), { centreTransport(it) }, MemoryLog(), RecordingNotifier(), clock, Language.DANISH)
        assertEquals(SyncResult.Busy, other.syncOnce(), "one sync at a time in the process, whichever coordinator")
        assertEquals(0, log.records.size, "busy is not an attempt")
        release.countDown()
        running.join(60_000)
        assertIs<SyncResult.Done>(first)
        assertEquals(1, log.records.size)
        assertIs<SyncResult.Done>(coordinator().syncOnce(), "and the next one runs")
    }

    @Test
    fun noConnectionIsRetriedAndRecordsWaitingTooLongAreTold() {
        enrolled()
        assertIs<SyncResult.Done>(coordinator().syncOnce())
        val success = clock()
        store.store()!!.addPerson(NewPerson("Kim", null, null, null, null))
        val port = closedPort()
        val offline = coordinator({ centreTransport("http://127.0.0.1:$port") })
        clock.advance(3_600_000)
        assertEquals(SyncResult.Retry(SyncProblem.OFFLINE), offline.syncOnce())
        val record = assertNotNull(log.last())
        assertEquals(SyncProblem.OFFLINE, record.problem)
        assertEquals(success, record.successAt, "the last success is kept")
        assertEquals(clock(), record.attemptAt)
        assertTrue(record.detail!!.contains("offline: "), record.detail)
        assertTrue(notifier.troubles.isEmpty(), "a record made just now is not news (the core's unsentTooLong is false)")
        val status = store.store()!!.syncStatus()
        assertEquals(false, status.unsentTooLong)
        assertNotNull(status.oldestUnsentAt)
        assertNull(unsentLongText(status, Language.DANISH))
        // What the worker is told once the core says so: the core's own notice.
        val long = assertNotNull(unsentLongText(status.copy(unsentTooLong = true), Language.DANISH))
        assertTrue(long.startsWith("1 registrering(er)") && long.contains("4 timer"), long)
        assertTrue(unsentLongText(status.copy(unsentTooLong = true), Language.ENGLISH)!!.contains("4 hours"))
        assertEquals(SyncResult.Retry(SyncProblem.HOST_NOT_FOUND), coordinator({ centreTransport("http://nohost.invalid") }).syncOnce())
        assertIs<SyncResult.Done>(coordinator().syncOnce())
        assertEquals(SyncRecord(clock(), clock(), null, null), log.last())
    }

    @Test
    fun aTlsFailureStopsAndTellsTheWorker() {
        enrolled()
        val tls = coordinator({ centreTransport("https://127.0.0.1:${TestCentre.port}") }, Language.ENGLISH)
        assertEquals(SyncResult.Stop(SyncProblem.TLS), tls.syncOnce())
        val (problem, text) = notifier.troubles.single()
        assertEquals(SyncProblem.TLS, problem)
        assertTrue(text.contains("certificate"), text)
        assertEquals(SyncProblem.TLS, log.last()!!.problem)
        assertNull(log.last()!!.successAt, "never synced")
    }

    @Test
    fun aRefusalForGoodStopsAndTellsTheWorker() {
        enrolled()
        assertIs<SyncResult.Done>(coordinator().syncOnce())
        store.store()!!.addPerson(NewPerson("Kim", null, null, null, null))
        // The centre knows no such token (as after a token rotation the phone missed): 401
        // "unknown-token", the core's CentreRefused, for which its advice is Stop and tell.
        val wrongToken = { centre: String ->
            val inner = centreTransport(centre)
            object : Transport {
                override fun send(endpoint: String, token: String?, body: ByteArray): ByteArray =
                    inner.send(endpoint, token?.let { "not-a-token-the-centre-knows" }, body)
            }
        }
        assertEquals(SyncResult.Stop(SyncProblem.CENTRE_REFUSED), coordinator(wrongToken).syncOnce())
        val (problem, text) = notifier.troubles.single()
        assertEquals(SyncProblem.CENTRE_REFUSED, problem)
        assertTrue(text.startsWith("Centret afviste"), text)
        val record = log.last()!!
        assertEquals(SyncProblem.CENTRE_REFUSED, record.problem)
        assertTrue(record.detail!!.endsWith("(unknown-token)"), record.detail)
        assertEquals(1L, store.unsent(), "nothing lost")
        assertIs<SyncResult.Done>(coordinator().syncOnce(), "the right token sends it")
    }

    @Test
    fun aRevocationStopsAndIsToldOnce() {
        enrolled()
        assertIs<SyncResult.Done>(coordinator().syncOnce())
        TestCentre.revoke(store.store()!!.identity().deviceId)
        assertEquals(SyncResult.Stop(SyncProblem.REVOKED), coordinator().syncOnce())
        assertEquals(1, notifier.revocations.size)
        assertTrue(notifier.revocations.single().isNotBlank())
        assertEquals(SyncProblem.REVOKED, log.last()!!.problem)
        assertEquals(Route.Revoked("lost"), store.route())
        assertNull(store.store())
        assertEquals(SyncResult.Stop(SyncProblem.REVOKED), coordinator().syncOnce())
        assertEquals(1, notifier.revocations.size, "told once")
        assertTrue(notifier.troubles.isEmpty())
    }

    @Test
    fun aPhoneNotEnrolledStops() {
        store = phone.start()
        assertEquals(SyncResult.Stop(SyncProblem.NOT_ENROLLED), coordinator().syncOnce())
        assertEquals(SyncProblem.NOT_ENROLLED, log.last()!!.problem)
        assertTrue(notifier.troubles.isEmpty())
    }

    @Test
    fun aLostKeyStopsAndIsTold() {
        enrolled()
        store.store()!!.close()
        phone.wrapper.delete()
        store = phone.start()
        assertEquals(SyncResult.Stop(SyncProblem.KEY_LOST), coordinator().syncOnce())
        assertEquals(SyncProblem.KEY_LOST, notifier.troubles.single().first)
        assertEquals(SyncResult.Stop(SyncProblem.KEY_LOST), coordinator().syncOnce())
        assertEquals(1, notifier.troubles.size, "told once")
    }

    @Test
    fun anOverdueCheckinIsNotifiedAfterASync() {
        enrolled("Mette")
        val started = java.time.Instant.now().minusSeconds(2400).toString()
        store.store()!!.record(NewEntry.CheckinStarted(CheckinInput("Sundholmsvej 9", "Jonas", 30u, CheckinReason.SOLO_HOME_VISIT, occurredAt = started)))
        assertIs<SyncResult.Done>(coordinator().syncOnce())
        val (alerts, text) = notifier.overdue.single()
        assertTrue(alerts.any { it.kind == AlertKind.OWN_OVERDUE }, alerts.toString())
        assertTrue(alerts.all { it.notify } && alerts.none { it.kind == AlertKind.OWN_DUE_SOON })
        assertTrue(text.contains("Sundholmsvej 9"), text)
    }
}
