// Where the app starts, against a real centre (A11, A12, A19; M4, M5): enrolment from nothing,
// a failed enrolment retried under a corrected name, a revocation and enrolling anew, a lost key
// that stays lost until the worker wipes, a wipe, and a key store that does not answer: each a
// route, never a crash.

package dk.gadeplan.app.logic

import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.NewPerson
import java.io.File
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue

class PhoneStoreTest {
    private val phone = Phone()
    private val opened = mutableListOf<PhoneStore>()

    private fun start(): PhoneStore = phone.start().also { opened += it }

    @AfterTest
    fun tearDown() {
        opened.forEach { runCatching { it.store()?.close() } }
        phone.dir.deleteRecursively()
    }

    private fun enrolled(worker: String = "Mette"): PhoneStore {
        val store = start()
        assertEquals(Route.Enrol(false), store.route())
        val route = store.enrol(TestCentre.url, TestCentre.code(worker), worker, centreTransport())
        assertEquals(Route.Main(worker, TestCentre.TEAM, TestCentre.url), route)
        return store
    }

    @Test
    fun aFirstStartEnrolsAndEveryLaterStartOpensTheMainScreens() {
        val first = enrolled()
        assertEquals("Mette", assertNotNull(first.store()).identity().worker)
        assertEquals("Test phone", first.store()!!.identity().deviceName)
        assertEquals(0L, first.unsent())
        first.store()!!.addPerson(NewPerson("Kim", null, null, null, null))
        assertEquals(1L, first.unsent())
        // The app started again: the same key from the vault, the same store.
        val again = start()
        assertNull(again.store(), "nothing is opened before the route is known")
        assertEquals(Route.Main("Mette", TestCentre.TEAM, TestCentre.url), again.route())
        assertEquals(listOf("Kim"), again.store()!!.listPersons(null, 0u).map { it.alias })
        assertEquals(1L, again.unsent())
        assertTrue(File(again.path).exists())
        // A second enrolment is the core's to refuse, in its words.
        assertFailsWith<GadeplanException.NotAllowed> { again.enrol(TestCentre.url, TestCentre.code("Mette"), "Mette", centreTransport()) }
    }

    @Test
    fun aFailedEnrolmentIsRetriedUnderTheCorrectedName() {
        val store = start()
        val offline = centreTransport("http://127.0.0.1:${closedPort()}")
        val code = TestCentre.code("Mette")
        assertFailsWith<GadeplanException.Unreachable> { store.enrol(TestCentre.url, code, "Mete", offline) }
        store.store()!!.close()
        // The app killed here: the next start asks for enrolment again, with the store kept.
        val next = start()
        assertEquals(Route.Enrol(true), next.route())
        assertEquals("Mete", next.store()!!.identity().worker)
        val deviceBefore = next.store()!!.identity().deviceId
        assertEquals(Route.Main("Mette", TestCentre.TEAM, TestCentre.url), next.enrol(TestCentre.url, code, " Mette ", centreTransport()))
        assertEquals("Mette", next.store()!!.identity().worker, "made again under the corrected name (A19)")
        assertNotEquals(deviceBefore, next.store()!!.identity().deviceId)
    }

    @Test
    fun anUnenrolledStoreWithRecordsIsNotMadeAgainUnderAnotherName() {
        val store = start()
        assertFailsWith<GadeplanException.Unreachable> {
            store.enrol(TestCentre.url, "ANYCODE", "Mete", centreTransport("http://127.0.0.1:${closedPort()}"))
        }
        store.store()!!.addPerson(NewPerson("Kim", null, null, null, null))
        assertFailsWith<GadeplanException.NotAllowed> { store.enrol(TestCentre.url, TestCentre.code("Mette"), "Mette", centreTransport()) }
        assertEquals(listOf("Kim"), store.store()!!.listPersons(null, 0u).map { it.alias }, "nothing recorded is lost")
    }

    @Test
    fun aRevokedPhoneSaysSoAndEnrolsAnewAsANewDevice() {
        val store = enrolled()
        val device = store.store()!!.identity().deviceId
        store.store()!!.addPerson(NewPerson("Kim", null, null, null, null))
        TestCentre.revoke(device)
        assertFailsWith<GadeplanException.Revoked> { store.store()!!.sync(centreTransport()) }
        assertEquals(Route.Revoked("lost"), store.route())
        assertNull(store.store())
        assertEquals(Route.Revoked("lost"), start().route(), "at every start until enrolled anew")
        val again = start()
        assertEquals(Route.Main("Mette", TestCentre.TEAM, TestCentre.url), again.enrol(TestCentre.url, TestCentre.code("Mette"), "Mette", centreTransport()))
        assertNotEquals(device, again.store()!!.identity().deviceId)
        assertTrue(again.store()!!.listPersons(null, 0u).isEmpty())
    }

    @Test
    fun aLostKeyStaysLostUntilTheWorkerWipes() {
        val store = enrolled()
        store.store()!!.addPerson(NewPerson("Kim", null, null, null, null))
        val dbBytes = File(store.path).length()
        store.store()!!.close()
        phone.wrapper.delete() // the Keystore entry is gone (a restore onto another phone)
        val next = start()
        assertIs<Route.KeyLost>(next.route())
        assertNull(next.store())
        assertNull(next.unsent(), "what was not sent cannot be counted")
        assertIs<Route.KeyLost>(start().route(), "never a new key in silence")
        assertFalse(phone.wrapper.exists())
        assertTrue(File(store.path).exists() && File(store.path).length() >= dbBytes, "the store is kept until the worker chooses")
        assertFailsWith<GadeplanException.WrongKey> { next.enrol(TestCentre.url, TestCentre.code("Mette"), "Mette", centreTransport()) }
        next.wipe()
        assertEquals(Route.Enrol(false), next.route())
        assertEquals(Route.Main("Mette", TestCentre.TEAM, TestCentre.url), next.enrol(TestCentre.url, TestCentre.code("Mette"), "Mette", centreTransport()))
    }

    @Test
    fun aStoreWithoutItsKeyFileIsKeyLostEvenForAVaultToldWrong() {
        val store = enrolled()
        store.store()!!.close()
        File(phone.dir, KeyVault.FILE).delete()
        val blind = PhoneStore(phone.dir, KeyVault(phone.dir, phone.wrapper) { false }, "Test phone").also { opened += it }
        assertIs<Route.KeyLost>(blind.route(), "a wrapping key without its key file")
        assertIs<Route.KeyLost>(start().route())
        phone.wrapper.delete()
        assertEquals(LoadedKey.Missing, KeyVault(phone.dir, phone.wrapper) { false }.load())
        assertIs<Route.KeyLost>(blind.route(), "no key at all: the core says so from the store itself")
        assertTrue(File(blind.path).exists())
    }

    @Test
    fun aKeyWithoutAStoreCostsNothing() {
        KeyVault(phone.dir, phone.wrapper).create()
        phone.wrapper.delete()
        val store = start()
        assertEquals(Route.Enrol(false), store.route(), "the remains of a first start are cleared")
        assertFalse(File(phone.dir, KeyVault.FILE).exists())
        assertEquals(Route.Main("Mette", TestCentre.TEAM, TestCentre.url), store.enrol(TestCentre.url, TestCentre.code("Mette"), "Mette", centreTransport()))
    }

    @Test
    fun wipeErasesTheStoreAndItsKey() {
        val store = enrolled()
        store.store()!!.addPerson(NewPerson("Kim", null, null, null, null))
        assertEquals(1L, store.unsent())
        store.wipe()
        assertNull(store.store())
        assertFalse(File(store.path).exists())
        assertTrue(phone.dir.listFiles()!!.none { it.name.startsWith(PhoneStore.FILE) || it.name.startsWith(KeyVault.FILE) }, phone.dir.list()!!.joinToString())
        assertFalse(phone.wrapper.exists())
        assertEquals(Route.Enrol(false), store.route())
        assertEquals(Route.Enrol(false), start().route())
        store.wipe() // wiping nothing is fine
    }

    @Test
    fun aKeyStoreThatDoesNotAnswerIsBrokenNotACrash() {
        val store = enrolled()
        phone.wrapper.failing = true
        val broken = assertIs<Route.Broken>(start().route())
        assertTrue(broken.message.contains("did not answer"), broken.message)
        phone.wrapper.failing = false
        assertEquals(Route.Main("Mette", TestCentre.TEAM, TestCentre.url), start().route(), "and fine again once it answers")
        assertNotNull(store.store())
    }
}
