// The logic layer's small rules: the centre's address and the enrolment link (A20, M1), the app
// lock's timing (M2), the sync banner's words (M7), times in the phone's zone (A21), and the
// errors in the worker's language (A34).

package dk.gadeplan.app.logic

import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.Language
import dk.gadeplan.core.SyncStatus
import dk.gadeplan.core.TransportException
import dk.gadeplan.core.errorText
import java.net.URLEncoder
import java.net.UnknownHostException
import java.time.Instant
import java.time.ZoneId
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

class LogicTest {
    private val copenhagen: ZoneId = ZoneId.of("Europe/Copenhagen")

    @Test
    fun theCentresAddressIsHttpsOrLoopback() {
        for (fine in listOf("https://centre.example.dk", " https://centre.example.dk:8443/ ", "http://127.0.0.1:8080", "http://10.0.2.2:8080", "http://localhost")) {
            assertNull(checkCentreAddress(fine, Language.DANISH), fine)
        }
        assertTrue(checkCentreAddress("http://centre.example.dk", Language.DANISH)!!.contains("https://"))
        assertTrue(checkCentreAddress("http://centre.example.dk", Language.ENGLISH)!!.contains("unencrypted"))
        for (wrong in listOf("", "   ", "centre.example.dk", "https://", "ftp://centre.example.dk", "https://centre.example.dk/?x=1", "https://a b", "https://user@centre.example.dk")) {
            val problem = checkCentreAddress(wrong, Language.DANISH)
            assertNotNull(problem, wrong)
            assertFalse(problem.isBlank())
        }
    }

    @Test
    fun aScannedLinkGivesTheCentreAndTheCode() {
        val link = enrolLinkFrom(" gadeplan://enrol?centre=" + URLEncoder.encode("https://centre.example.dk", "UTF-8") + "&code=ABCD-1234 ")
        assertEquals("https://centre.example.dk", assertNotNull(link).centre)
        assertEquals("ABCD-1234", link.code)
        assertNull(enrolLinkFrom("https://not-a-link"))
        assertNull(enrolLinkFrom(""))
    }

    @Test
    fun theAppLockLocksAtAColdStartAndAfterTheTimeoutAway() {
        val clock = TestClock()
        val lock = AppLock(5 * 60_000L, clock)
        assertTrue(lock.locked, "a cold start is locked")
        lock.foregrounded()
        assertTrue(lock.locked)
        lock.unlocked()
        assertFalse(lock.locked)
        lock.backgrounded()
        clock.advance(5 * 60_000L)
        lock.foregrounded()
        assertFalse(lock.locked, "back within the timeout")
        lock.backgrounded()
        clock.advance(5 * 60_000L + 1)
        lock.foregrounded()
        assertTrue(lock.locked, "away longer than the timeout")
        lock.unlocked()
        lock.backgrounded()
        clock.advance(-60_000L)
        lock.foregrounded()
        assertTrue(lock.locked, "a clock set back: the time away is unknown")
    }

    private fun status(pending: Int = 0, rejected: Int = 0, enrolled: Boolean = true, full: Boolean = false, tooLong: Boolean = false) = SyncStatus(
        enrolled, "https://centre.example.dk", "Vesterbro", pending.toULong(), rejected.toULong(), 0uL, 0uL, null, full, 0uL, 0uL, null, tooLong,
    )

    @Test
    fun theBannerSaysWhatWaitsAndWhen() {
        // 13:05 UTC is 14:05 in Copenhagen in December.
        val synced = Instant.parse("2026-12-05T13:05:00Z").toEpochMilli()
        val now = synced + 30 * 60_000L
        val ok = SyncRecord(synced, synced, null, null)
        fun banner(status: SyncStatus, last: SyncRecord?, online: Boolean = true, at: Long = now, language: Language = Language.DANISH) =
            syncBanner(status, last, online, at, language, copenhagen)
        assertEquals(Banner("Ikke sendt: 3 · Sidst synkroniseret 14:05", Banner.Level.INFO), banner(status(pending = 3), ok))
        assertEquals(Banner("Alt er sendt · Sidst synkroniseret 14:05", Banner.Level.OK), banner(status(), ok))
        assertEquals(Banner("Not sent: 3 · Last synced 14:05", Banner.Level.INFO), banner(status(pending = 3), ok, language = Language.ENGLISH))
        assertEquals(
            Banner("Ingen forbindelse – optegnelser gemmes på telefonen · Ikke sendt: 3 · Sidst synkroniseret 14:05", Banner.Level.WARNING),
            banner(status(pending = 3), ok, online = false),
        )
        assertEquals(Banner("Afvist af centret: 1 · Sidst synkroniseret 14:05", Banner.Level.ERROR), banner(status(rejected = 1), ok))
        // Waiting too long (the core's unsentTooLong, not a shell threshold) is a warning; another
        // day shows the date.
        val tomorrow = synced + 24 * 3_600_000L
        assertEquals(Banner("Ikke sendt: 3 · Sidst synkroniseret 2026-12-05 14:05", Banner.Level.INFO), banner(status(pending = 3), ok, at = tomorrow))
        assertEquals(Banner("Ikke sendt: 3 · Sidst synkroniseret 2026-12-05 14:05", Banner.Level.WARNING), banner(status(pending = 3, tooLong = true), ok, at = tomorrow))
        assertEquals(Banner("Ikke sendt: 1 · Endnu ikke synkroniseret", Banner.Level.INFO), banner(status(pending = 1), null))
        val tls = SyncRecord(now, synced, SyncProblem.TLS, "tls: …")
        val stopped = banner(status(pending = 2), tls)
        assertEquals(Banner.Level.ERROR, stopped.level)
        assertTrue(stopped.text.startsWith(problemText(SyncProblem.TLS, Language.DANISH)), stopped.text)
        assertEquals(Banner.Level.ERROR, banner(status(enrolled = false), ok).level)
        assertEquals("Ikke tilmeldt et center – data sendes ikke", banner(status(enrolled = false), ok).text)
        assertEquals(Banner.Level.ERROR, banner(status(full = true), ok).level)
    }

    @Test
    fun timesAreShownInThePhonesZone() {
        assertEquals("2026-11-23 14:05", Times.localTime("2026-11-23T13:05:00Z", copenhagen))
        assertEquals("2026-07-01 02:30", Times.localTime("2026-07-01T00:30:00Z", copenhagen), "summer time, and the day after in UTC terms")
        assertEquals("2026-11-23 14:05", Times.localTime("2026-11-23T15:05:00+02:00", copenhagen))
        assertEquals("not a time", Times.localTime("not a time", copenhagen))
    }

    @Test
    fun errorsAreToldInTheWorkersLanguage() {
        val plan = GadeplanException.PlanRequired("a high risk score (3) needs a plan for how violence is avoided")
        assertEquals(errorText("PlanRequired", plan.message!!, Language.DANISH), describe(plan, Language.DANISH))
        assertNotEquals(describe(plan, Language.ENGLISH), describe(plan, Language.DANISH), "Danish is not English")
        val tls = GadeplanException.Unreachable("the centre could not be reached: tls: SSLHandshakeException: Chain validation failed")
        assertEquals(problemText(SyncProblem.TLS, Language.DANISH), describe(tls, Language.DANISH))
        val offline = GadeplanException.Unreachable("the centre could not be reached: offline: ConnectException: Connection refused")
        assertEquals(errorText("Unreachable", offline.message!!, Language.DANISH), describe(offline, Language.DANISH), "no connection: the core's words")
        assertTrue(describe(offline, Language.DANISH).startsWith("Centret kunne ikke nås"), describe(offline, Language.DANISH))
        assertEquals(problemText(SyncProblem.TIMEOUT, Language.ENGLISH), describe(TransportException.Unreachable("timeout: x"), Language.ENGLISH))
        assertEquals(problemText(SyncProblem.HOST_NOT_FOUND, Language.DANISH), describe(UnknownHostException("x"), Language.DANISH))
        assertTrue(describe(IllegalStateException("boom"), Language.DANISH).contains("Noget gik galt"))
        assertTrue(describe(java.security.KeyStoreException("x"), Language.ENGLISH).contains("key store"))
        for (problem in SyncProblem.values()) {
            assertNotEquals(problemText(problem, Language.DANISH), problemText(problem, Language.ENGLISH), problem.name)
        }
    }

    /** Every code the core's definitions give maps to its enum (audit P8, A27): none silently skipped. */
    @Test
    fun everyVocabularyCodeMapsToItsEnum() {
        val d = dk.gadeplan.core.instrumentDefinitions()
        fun <E : Enum<E>> check(name: String, codes: List<String>, find: (String) -> E?) {
            assertTrue(codes.isNotEmpty(), "$name is empty")
            for (code in codes) assertNotNull(find(code), "$name: no enum value for '$code'")
        }
        fun labels(l: List<dk.gadeplan.core.Label>) = l.map { it.code }
        check("broset", d.broset.items.map { it.code }) { Codes.enumOf<dk.gadeplan.core.BrosetItem>(it) }
        check("criteria", labels(d.screening.criteria)) { Codes.enumOf<dk.gadeplan.core.Criterion>(it) }
        check("burdenAreas", labels(d.screening.burdenAreas)) { Codes.enumOf<dk.gadeplan.core.BurdenArea>(it) }
        check("decisions", labels(d.screening.decisions)) { Codes.enumOf<dk.gadeplan.core.Decision>(it) }
        check("referralKinds", labels(d.screening.referralKinds)) { Codes.enumOf<dk.gadeplan.core.ReferralKind>(it) }
        check("stages", d.stages.stages.map { it.code }) { Codes.enumOf<dk.gadeplan.core.Stage>(it) }
        check("questionnaires", d.questionnaires.map { it.instrument.name }) { Codes.enumOf<dk.gadeplan.core.Questionnaire>(it) }
        d.questionnaires.forEach { q -> check("occasions of ${q.instrument}", labels(q.occasions)) { Codes.enumOf<dk.gadeplan.core.Occasion>(it) } }
        check("placeKinds", labels(d.placeKinds)) { Codes.enumOf<dk.gadeplan.core.PlaceKind>(it) }
        check("contactKinds", labels(d.contactKinds)) { Codes.enumOf<dk.gadeplan.core.ContactKind>(it) }
        check("meetingKinds", labels(d.meetingKinds)) { Codes.enumOf<dk.gadeplan.core.MeetingKind>(it) }
        check("outcomes", labels(d.outcomes)) { Codes.enumOf<dk.gadeplan.core.Outcome>(it) }
        val c = d.course
        check("foundVia", labels(c.foundVia)) { Codes.enumOf<dk.gadeplan.core.FoundVia>(it) }
        check("attachmentTreatment", labels(c.attachmentTreatment)) { Codes.enumOf<dk.gadeplan.core.TreatmentAttachment>(it) }
        check("attachmentSubstitution", labels(c.attachmentSubstitution)) { Codes.enumOf<dk.gadeplan.core.SubstitutionAttachment>(it) }
        check("attachmentServices", labels(c.attachmentServices)) { Codes.enumOf<dk.gadeplan.core.ServicesAttachment>(it) }
        check("phases", labels(c.phases)) { Codes.enumOf<dk.gadeplan.core.CoursePhase>(it) }
        check("closeReasons", labels(c.closeReasons)) { Codes.enumOf<dk.gadeplan.core.CloseReason>(it) }
        check("treatmentStatuses", labels(c.treatmentStatuses)) { Codes.enumOf<dk.gadeplan.core.TreatmentStatus>(it) }
        check("visitationKinds", labels(c.visitationKinds)) { Codes.enumOf<dk.gadeplan.core.VisitationKind>(it) }
        check("visitationResults", labels(c.visitationResults)) { Codes.enumOf<dk.gadeplan.core.VisitationResult>(it) }
        check("treatmentIntensities", labels(c.treatmentIntensities)) { Codes.enumOf<dk.gadeplan.core.TreatmentIntensity>(it) }
        check("bridgeServices", labels(c.bridgeServices)) { Codes.enumOf<dk.gadeplan.core.BridgeService>(it) }
        check("bridgeStatuses", labels(c.bridgeStatuses)) { Codes.enumOf<dk.gadeplan.core.BridgeStatus>(it) }
        check("networkRoles", labels(c.networkRoles)) { Codes.enumOf<dk.gadeplan.core.NetworkRole>(it) }
        check("consentForms", labels(c.consentForms)) { Codes.enumOf<dk.gadeplan.core.ConsentForm>(it) }
        check("goalKinds", labels(c.goalKinds)) { Codes.enumOf<dk.gadeplan.core.GoalKind>(it) }
        check("goalReached", labels(c.goalReached)) { Codes.enumOf<dk.gadeplan.core.GoalReached>(it) }
        val s = d.safety
        check("checkinReasons", labels(s.checkinReasons)) { Codes.enumOf<dk.gadeplan.core.CheckinReason>(it) }
        check("incidentKinds", labels(s.incidentKinds)) { Codes.enumOf<dk.gadeplan.core.IncidentKind>(it) }
        check("visitRules", labels(s.visitRules)) { Codes.enumOf<dk.gadeplan.core.VisitRule>(it) }
        check("areaPriorities", labels(s.areaPriorities)) { Codes.enumOf<dk.gadeplan.core.AreaPriority>(it) }
        check("weekdays", labels(s.weekdays)) { Codes.enumOf<dk.gadeplan.core.Weekday>(it) }
        check("alertKinds", labels(s.alertKinds)) { Codes.enumOf<dk.gadeplan.core.AlertKind>(it) }
    }
}
