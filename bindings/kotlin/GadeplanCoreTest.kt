// The core through its Kotlin bindings, on the JVM, as the Android app uses it: an encrypted
// store, the typed errors and their messages, every Brøset band, every screening decision,
// contacts, the persons list and a timeline; then a real gadeplan-centre on loopback, enrolment,
// and sync between two stores through a Kotlin implementation of the transport, with the team's
// map and a check-in the centre escalates to the watcher.

package dk.gadeplan.test

import dk.gadeplan.core.*
import java.io.File
import java.nio.file.Files
import java.security.SecureRandom
import java.util.concurrent.TimeUnit
import kotlin.test.AfterTest
import kotlin.test.BeforeTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

/**
 * The alias looked for in an encrypted store's file: 23 characters, which random ciphertext never
 * holds by chance (3 bytes such as "Kim" turn up in about 1 run in 100 of a file that size).
 */
private const val ALIAS = "Kimberly-Alexandra-Holm"

class GadeplanCoreTest {
    private lateinit var dir: File
    private val key = ByteArray(32).also { SecureRandom().nextBytes(it) }

    @BeforeTest
    fun setUp() {
        dir = Files.createTempDirectory("gadeplan-kotlin").toFile()
    }

    @AfterTest
    fun tearDown() {
        dir.deleteRecursively()
    }

    private fun newStore(name: String, worker: String = "Mette"): Store =
        Store.create(File(dir, "$name.db").path, key, worker, "$worker's phone")

    private fun person(store: Store, alias: String): String =
        store.addPerson(NewPerson(alias, null, null, null, null)).person

    private fun contact(subject: Subject?, riskCheck: String? = null) = ContactInput(
        subject, "Enghave Plads", PlaceKind.PARK, ContactKind.CONVERSATION, Outcome.CONTACT_MADE,
        "Jonas", 15u, "Talked about a shelter bed", riskCheck, null,
    )

    /** A message a worker could read: the core's text, not uniffi's dump of fields. */
    private fun assertHuman(e: Exception) {
        val message = assertNotNull(e.message)
        assertFalse(message.contains("detail=") || message.contains("message=") || message.contains("field="), message)
        assertTrue(message.length > 10, message)
    }

    @Test
    fun anEncryptedStoreOpensOnlyWithItsKey() {
        val store = newStore("s")
        person(store, ALIAS)
        store.close()
        val wrong = assertFailsWith<GadeplanException.WrongKey> { Store.open(File(dir, "s.db").path, ByteArray(32) { 9 }) }
        assertHuman(wrong)
        assertTrue(wrong.message!!.contains("key"))
        assertFailsWith<GadeplanException.NoStore> { Store.open(File(dir, "missing.db").path, key) }
        val reopened = Store.open(File(dir, "s.db").path, key)
        assertEquals(listOf(ALIAS), reopened.listPersons(null, 0u).map { it.alias })
        val bytes = File(dir, "s.db").readBytes().toString(Charsets.ISO_8859_1)
        assertFalse(bytes.contains(ALIAS), "the alias is not in the file in plaintext")
        reopened.close()
    }

    @Test
    fun riskChecksInEveryBandAndAHighOneNeedsAPlan() {
        val store = newStore("risk")
        val kim = person(store, "Kim")
        val low = store.recordRiskCheck(RiskCheckInput(Subject.Person(kim), listOf(), null, null))
        assertEquals(0.toUByte(), low.score)
        assertEquals(RiskBand.LOW, low.band)
        val moderate = store.recordRiskCheck(RiskCheckInput(Subject.Person(kim), listOf(BrosetItem.CONFUSION, BrosetItem.IRRITABILITY), null, null))
        assertEquals(RiskBand.MODERATE, moderate.band)
        assertTrue(moderate.action.contains("de-escalation"))
        val three = listOf(BrosetItem.BOISTEROUSNESS, BrosetItem.VERBAL_THREATS, BrosetItem.PHYSICAL_THREATS)
        val refused = assertFailsWith<GadeplanException.PlanRequired> {
            store.recordRiskCheck(RiskCheckInput(Subject.Person(kim), three, null, null))
        }
        assertHuman(refused)
        assertTrue(refused.message!!.contains("plan"))
        val high = store.recordRiskCheck(RiskCheckInput(Subject.Person(kim), three, "Two of us, keep the path free", null))
        assertEquals(RiskBand.HIGH, high.band)
        assertEquals(3.toUByte(), high.score)
        assertEquals(RiskBand.HIGH, store.listPersons(null, 0u).single().risk)
        // The instruments come from the core, in both languages.
        val defs = instrumentDefinitions()
        assertEquals(6, defs.broset.items.size)
        assertEquals("Forvirring", defs.broset.items.first().da)
        assertEquals(RiskBand.MODERATE, scoreRisk(listOf(BrosetItem.CONFUSION)).band)
        store.close()
    }

    @Test
    fun preScreeningWithEachDecision() {
        val store = newStore("screen")
        val kim = person(store, "Kim")
        val all = Criterion.values().toList()
        val three = listOf(BurdenArea.CRIME, BurdenArea.ECONOMY, BurdenArea.MENTAL_HEALTH)
        val indicated = store.recordScreening(ScreeningInput(kim, all, three, Decision.IN, null, null, null, null))
        assertEquals(true, indicated.indicated)
        assertEquals(Decision.IN, indicated.decision)
        val departs = assertFailsWith<GadeplanException.ReasonRequired> {
            store.recordScreening(ScreeningInput(kim, all, three.take(2), Decision.IN, null, null, null, null))
        }
        assertHuman(departs)
        // Criteria assessed as not met, named: nothing left unknown, the criteria indicate outside.
        val outside = store.recordScreening(
            ScreeningInput(
                kim, listOf(), listOf(), Decision.OUTSIDE, null, ReferralKind.HAND_OVER, "the GP", null,
                criteriaNotMet = all, burdenNotHigh = BurdenArea.values().toList(),
            ),
        )
        assertEquals(false, outside.indicated)
        // Not assessed yet: not known, nothing indicated, and undecided needs no reason.
        val undecided = store.recordScreening(ScreeningInput(kim, listOf(Criterion.DRUG_USE), listOf(), Decision.UNDECIDED, null, null, null, null))
        assertNull(undecided.indicated)
        assertEquals(9u.toUByte(), undecided.unknownCount)
        assertEquals(Decision.UNDECIDED, undecided.decision)
        assertEquals(Decision.UNDECIDED, store.listPersons(null, 0u).single().screening)
        val notIndicated = assessScreening(all, listOf(), three.take(2), BurdenArea.values().toList() - three.take(2).toSet())
        assertEquals(false, notIndicated.indicated)
        assertNull(assessScreening(all, listOf(), three.take(2), listOf()).indicated)
        store.close()
    }

    @Test
    fun contactsThePersonsListAndATimeline() {
        val store = newStore("contacts")
        val kim = person(store, "Kim")
        val lis = person(store, "Lis")
        val check = store.recordRiskCheck(RiskCheckInput(Subject.Unknown("man with a grey dog"), listOf(BrosetItem.CONFUSION), null, null))
        store.recordContact(contact(null, check.id))
        store.recordContact(contact(Subject.Person(kim)))
        store.recordStage(StageInput(kim, Stage.CONTEMPLATION, 7u, 3u, null))
        val invalid = assertFailsWith<GadeplanException.InvalidInput> {
            store.recordContact(contact(Subject.Person(kim)).copy(place = " "))
        }
        assertHuman(invalid)
        val list = store.listPersons(null, 0u)
        assertEquals(listOf("Kim", "Lis"), list.map { it.alias })
        assertNotNull(list[0].lastContactAt)
        assertNull(list[1].lastContactAt)
        assertEquals(Stage.CONTEMPLATION, list[0].stage)
        val detail = store.person(kim)
        assertEquals(listOf(EntryKind.PERSON_NOTED, EntryKind.CONTACT_LOGGED, EntryKind.STAGE_ASSESSED), detail.timeline.map { it.kind })
        assertTrue(detail.timeline[1].payload.contains("Enghave Plads"))
        // The content is typed: the app shows it without reading JSON.
        val met = detail.timeline[1].content as EntryContent.ContactLogged
        assertEquals("Enghave Plads", met.v1.place)
        assertEquals(PlaceKind.PARK, met.v1.placeKind)
        assertEquals(15u, met.v1.minutes)
        val line = assertNotNull(dk.gadeplan.app.logic.Contents.line(met, Language.ENGLISH))
        assertTrue(line.startsWith("Enghave Plads · 15 min · ") && line.endsWith("Talked about a shelter bed"), line)
        assertEquals(1, store.unknownCitizens().size)
        assertEquals(6, store.todaysLog(60).size, "two persons, a risk check, two contacts, a stage")
        // A correction is typed by its kind: the app names the fields, never writes JSON.
        val contactId = detail.timeline[1].id
        store.correct(CorrectionInput(contactId, Correction.ContactLogged(ContactCorrection(minutes = 25u, clearNote = true)), null, "it was longer"))
        val corrected = store.entry(contactId).content as EntryContent.ContactLogged
        assertEquals(25u, corrected.v1.minutes)
        assertNull(corrected.v1.note)
        assertFailsWith<GadeplanException.InvalidInput> {
            store.correct(CorrectionInput(contactId, Correction.StageAssessed(StageCorrection(stage = Stage.ACTION)), null, null))
        }
        // Times cross as instants; the app shows them in the phone's zone (Copenhagen: UTC+1
        // in November), never the UTC text.
        val earlier = store.recordContact(contact(Subject.Person(lis)).copy(occurredAt = "2026-11-23T13:05:00Z"))
        val item = store.entry(earlier.id)
        assertEquals(java.time.Instant.parse("2026-11-23T13:05:00Z"), item.occurredAt)
        assertEquals("2026-11-23 14:05", dk.gadeplan.app.logic.Times.local(item.occurredAt, java.time.ZoneId.of("Europe/Copenhagen")))
        // What the main screen tells the worker about sync comes from the core, in both languages.
        assertTrue(syncNotices(store.syncStatus()).isEmpty())
        val wrongClock = syncNotices(store.syncStatus().copy(clockOffByMs = 2L * 3_600_000))
        assertEquals(listOf("clock-wrong"), wrongClock.map { it.code })
        assertTrue(wrongClock[0].da.contains("2 timer foran") && wrongClock[0].en.contains("2 hours ahead"), wrongClock[0].en)
        store.close()
        assertTrue(lis.isNotEmpty())
    }

    @Test
    fun aCourseFromOpeningThroughTreatmentToClosingAndTheCaseload() {
        val store = newStore("course")
        val kim = person(store, "Kim")
        val opened = store.record(NewEntry.CourseOpened(CourseInput(
            kim, listOf("Mette", "Jonas"), FoundVia.SHELTER_DROP_IN,
            TreatmentAttachment.KNOWN_NO_CONTACT, null, ServicesAttachment.CURRENT, null,
        )))
        val second = assertFailsWith<GadeplanException.NotAllowed> {
            store.record(NewEntry.CourseOpened(CourseInput(kim, listOf(), FoundVia.OTHER, null, null, null, null)))
        }
        assertHuman(second)
        for (phase in listOf(CoursePhase.MOTIVATION, CoursePhase.BRIDGING, CoursePhase.IN_TREATMENT)) {
            store.record(NewEntry.CoursePhaseSet(CoursePhaseInput(kim, null, phase, null)))
        }
        val caseload = store.caseload()
        assertEquals(listOf("Jonas", "Mette"), caseload.workers.map { it.worker })
        assertEquals(1u, caseload.openCourses)
        assertEquals(15u, caseload.guideline)
        // Bridge-building: the wish starts the 14-day guarantee; waiting until treatment starts.
        assertFailsWith<GadeplanException.NotAllowed> {
            store.record(NewEntry.TreatmentStarted(TreatmentStartInput(kim, null, "Dagbehandling", TreatmentIntensity.DAY, "Birgitte", null)))
        }
        store.record(NewEntry.TreatmentRequested(TreatmentRequestInput(kim, null, null)))
        val waiting = store.waitingForTreatment().single()
        assertEquals(GuaranteeState.WAITING, waiting.guarantee!!.state)
        assertEquals(14, waiting.guarantee!!.daysLeft)
        store.record(NewEntry.TreatmentStarted(TreatmentStartInput(kim, null, "Dagbehandling", TreatmentIntensity.DAY, "Birgitte", null)))
        assertEquals(GuaranteeState.MET, store.person(kim).person.guarantee!!.state)
        assertTrue(store.waitingForTreatment().isEmpty())
        store.record(NewEntry.CourseClosed(CourseCloseInput(kim, opened.id, CloseReason.TREATMENT, TreatmentStatus.CONTINUING, null)))
        val course = store.person(kim).courses.single()
        assertEquals(CoursePhase.IN_TREATMENT, course.phase)
        assertTrue(course.bridged)
        assertEquals(CloseReason.TREATMENT, course.closeReason)
        assertEquals(0u, store.caseload().openCourses)
        // The timeline's lines, in the core's words.
        val closed = store.entry(store.person(kim).timeline.last().id).content
        val line = assertNotNull(dk.gadeplan.app.logic.Contents.line(closed, Language.DANISH))
        assertTrue(line.contains("stofmisbrugsbehandling") || line.contains("drug treatment"), line)
        val first = dk.gadeplan.app.logic.Contents.line(store.entry(opened.id).content, Language.DANISH)
        assertTrue(first!!.startsWith("Mette & Jonas · "), first)
        assertEquals(FoundVia.values().size, instrumentDefinitions().course.foundVia.size)
        // Confidentiality: a disclosure needs the citizen's consent in force.
        val refused = assertFailsWith<GadeplanException.ConsentRequired> {
            store.record(NewEntry.DisclosureMade(DisclosureInput(kim, "in treatment", "Bostøtten", null, null)))
        }
        assertHuman(refused)
        val consent = store.record(NewEntry.ConsentGiven(ConsentInput(kim, "Bostøtten", "treatment", ConsentForm.VERBAL, null)))
        store.record(NewEntry.DisclosureMade(DisclosureInput(kim, "in treatment", "Bostøtten", consent.id, null)))
        store.record(NewEntry.NetworkNoted(NetworkInput(kim, NetworkRole.HOUSING_SUPPORT, "Anna", null, "+45 12 34 56 78", null)))
        val screen = store.person(kim)
        assertEquals("Anna", screen.network.single().member.name)
        assertTrue(screen.consents.single().inForce)
        // Bilag 1C: the plan, its evaluation, and the handover document in Danish.
        val kaj = person(store, "Kaj")
        store.record(NewEntry.CourseOpened(CourseInput(kaj, listOf(), FoundVia.OWN_OUTREACH, null, null, null, null)))
        val fields = PlanFields("Heroin", GoalKind.REDUCTION, null, null, null, listOf(PlanPartner("Anna", null)),
            listOf(SpecificPlan("Første samtale", null, null, "Hente ham", null)), "Ring til Anna")
        val set = store.record(NewEntry.PlanSet(PlanInput(kaj, null, fields, null)))
        assertTrue(set.warnings.isEmpty())
        store.record(NewEntry.PlanEvaluated(EvaluationInput(kaj, null, 1u, GoalReached.YES_MORE, null, null, null)))
        assertEquals(GoalReached.YES_MORE, store.person(kaj).plan!!.evaluations.single().reached)
        assertTrue(store.planDocument(kaj).contains("Er målet nået:"))
        store.close()
    }

    @Test
    fun questionnairesMeetingsAndPossibleDuplicates() {
        val store = newStore("measures")
        val karl = person(store, "Kaffe-Karl")
        store.record(NewEntry.CourseOpened(CourseInput(karl, listOf(), FoundVia.OWN_OUTREACH, null, null, null, null)))
        store.record(NewEntry.CoursePhaseSet(CoursePhaseInput(karl, null, CoursePhase.MOTIVATION, null)))
        val due = store.person(karl).person.questionnairesDue.single()
        assertEquals(Questionnaire.MOTIVATION, due.instrument)
        assertEquals(Occasion.BASELINE, due.occasion)
        val defs = instrumentDefinitions().questionnaires.first { it.instrument == Questionnaire.MOTIVATION }
        assertEquals(6, defs.items.size)
        assertTrue(defs.items.last().reverse)
        val answers = listOf<UByte?>(3u, 4u, null, 2u, 4u, 4u)
        val recorded = store.record(NewEntry.QuestionnaireRecorded(QuestionnaireInput(karl, instrument = Questionnaire.MOTIVATION, answers = answers)))
        val line = assertNotNull(dk.gadeplan.app.logic.Contents.line(store.entry(recorded.id).content, Language.DANISH))
        assertTrue(line.contains("3 4 – 2 4 4"), line)
        val wrong = assertFailsWith<GadeplanException.InvalidInput> {
            store.record(NewEntry.QuestionnaireRecorded(QuestionnaireInput(karl, instrument = Questionnaire.MOTIVATION, answers = listOf(9u))))
        }
        assertHuman(wrong)
        assertTrue(store.person(karl).person.questionnairesDue.isEmpty())
        // A meeting says which.
        val meeting = contact(Subject.Person(karl)).copy(kind = ContactKind.MEETING, meeting = MeetingKind.VISITATION_CONFERENCE)
        store.recordContact(meeting)
        assertFailsWith<GadeplanException.InvalidInput> { store.recordContact(meeting.copy(meeting = null)) }
        assertEquals(1u, store.person(karl).person.intensity.conversations14Days)
        // The same man noted again, spelt another way: a warning names him.
        val again = store.addPerson(NewPerson("Kaffe Karl", null, null, null, null))
        assertEquals("possible-duplicate", again.warnings.single().code)
        assertEquals(1, store.possibleDuplicates().size)
        store.close()
    }

    @Test
    fun syncBetweenTwoStoresThroughARealCentre() {
        val centreBin = System.getProperty("gadeplan.centre") ?: error("-Dgadeplan.centre=<path to gadeplan-centre>")
        val data = File(dir, "centre").path
        fun operator(vararg args: String): String {
            val p = ProcessBuilder(centreBin, "--data", data, *args).redirectErrorStream(true).start()
            val out = p.inputStream.bufferedReader().readText()
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out)
            return out
        }
        fun code(worker: String) = Regex("\"code\": \"([^\"]+)\"").find(operator("enrol", "--team", "Vesterbro", "--worker", worker))!!.groupValues[1]
        operator("team", "add", "Vesterbro")
        val codes = listOf(code("Mette"), code("Jonas"))
        // No grace period: the overdue check-in below reaches its watcher within the centre's second.
        val server = ProcessBuilder(centreBin, "--data", data, "serve", "--listen", "127.0.0.1:0", "--checkin-grace-minutes", "0").start()
        try {
            val announced = server.errorStream.bufferedReader().readLine() ?: error("the centre did not start")
            val url = Regex("\"serving\":\"([^\"]+)\"").find(announced)!!.groupValues[1]
            val mette = newStore("mette", "Mette")
            val jonas = newStore("jonas", "Jonas")
            assertEquals("Vesterbro", mette.enrol(JavaHttpTransport(url), url, codes[0]).team)
            // Jonas scans the link the centre shows as a QR code.
            val link = parseEnrolLink("gadeplan://enrol?centre=" + java.net.URLEncoder.encode(url, "UTF-8") + "&code=" + codes[1])
            assertEquals(url, link.centre)
            jonas.enrol(JavaHttpTransport(link.centre), link.centre, link.code)
            assertHuman(assertFailsWith<GadeplanException.InvalidInput> { parseEnrolLink("https://not-a-link") })
            val reused = assertFailsWith<GadeplanException.CentreRefused> { newStore("again", "Mette").enrol(JavaHttpTransport(url), url, codes[0]) }
            assertHuman(reused)

            val kim = person(mette, "Kim")
            mette.recordContact(contact(Subject.Person(kim)))
            assertEquals(2uL, mette.syncStatus().pending)
            val pushed = mette.sync(JavaHttpTransport(url))
            assertEquals(2u, pushed.pushed)
            assertTrue(pushed.inStep)
            val pulled = jonas.sync(JavaHttpTransport(url))
            assertEquals(2u, pulled.pulled)
            assertEquals(listOf("Kim"), jonas.listPersons(null, 0u).map { it.alias })
            assertEquals(mette.digest(), jonas.digest())
            assertTrue(mette.log(LogFilter(null, null, null)).all { it.syncState == SyncState.SYNCED })

            // No signal: the transport fails, nothing is lost, and the next sync gets through.
            person(jonas, "Lis")
            assertFailsWith<GadeplanException.Unreachable> { jonas.sync(JavaHttpTransport("http://127.0.0.1:9")) }
            assertEquals(1uL, jonas.syncStatus().pending)
            jonas.sync(JavaHttpTransport(url))
            mette.sync(JavaHttpTransport(url))
            assertEquals(setOf("Kim", "Lis"), mette.listPersons(null, 0u).map { it.alias }.toSet())

            // The team's map: a place visited only when called warns a contact there, not called.
            val area = mette.record(NewEntry.AreaNoted(AreaInput("Halmtorvet", AreaPriority.HIGH))).id
            val cafe = mette.record(
                NewEntry.PlaceNoted(
                    PlaceInput("Café Dugnad", PlaceKind.DROP_IN, VisitRule.ONLY_WHEN_CALLED, area = area, latitude = 55.6712, longitude = 12.5611),
                ),
            ).id
            val warned = mette.recordContact(contact(Subject.Person(kim)).copy(placeId = cafe))
            assertTrue(warned.warnings.any { it.code == "place-only-when-called" }, warned.toString())
            assertEquals("Kun når vi bliver tilkaldt", mette.places().single().ruleLabel.da)
            assertEquals(listOf("Halmtorvet"), mette.coverage().map { it.area.name })

            // A check-in stated to have started 40 minutes ago for 30: overdue as it arrives.
            val started = java.time.Instant.now().minusSeconds(2400).toString()
            val checkin = mette.record(NewEntry.CheckinStarted(CheckinInput("Sundholmsvej 9", "Jonas", 30u, CheckinReason.SOLO_HOME_VISIT, occurredAt = started))).id
            assertTrue(mette.alerts().any { it.kind == AlertKind.OWN_OVERDUE })
            assertTrue(mette.checkinMessage(null, CheckinMessageKind.ENDED).text.contains("Sundholmsvej 9"))
            mette.sync(JavaHttpTransport(url))
            var alerted = false
            for (i in 0 until 50) {
                jonas.sync(JavaHttpTransport(url))
                if (jonas.alerts().any { it.kind == AlertKind.COLLEAGUE_OVERDUE && it.checkin == checkin }) { alerted = true; break }
                Thread.sleep(200)
            }
            assertTrue(alerted, "the centre's timer reached the watcher")
            assertEquals(mette.places(), jonas.places())
            jonas.record(NewEntry.CheckinAcknowledged(CheckinAcknowledgementInput(checkin)))
            jonas.sync(JavaHttpTransport(url))
            mette.record(NewEntry.CheckinEnded(CheckinEndInput()))
            mette.sync(JavaHttpTransport(url))
            jonas.sync(JavaHttpTransport(url))
            assertTrue(jonas.alerts().isEmpty())
            assertTrue(operator("checkins", "--all").contains("\"acknowledged_by\": \"Jonas\""))
            mette.close()
            jonas.close()
        } finally {
            server.destroy()
            server.waitFor(10, TimeUnit.SECONDS)
        }
    }
}
