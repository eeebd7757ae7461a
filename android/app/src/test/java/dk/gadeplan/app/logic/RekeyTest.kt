// A new key for the store (docs/keys.md, "How a shell keeps the old and the new key"), against a
// real centre's enrolment and the core's Store.rekey: PhoneStore.rekey() whole; a refusal that
// leaves the current key; and the phone dying at each point the doc names, simulated by doing
// the steps by hand up to that point, closing the store as a dead process would, and starting
// the app again with a fresh PhoneStore: after the pending key is saved, after the store is
// rekeyed but before promotion, after promotion but before the pending key is deleted. Each
// start must open the store with every record, and leave one key file.

package dk.gadeplan.app.logic

import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.NewPerson
import dk.gadeplan.core.StartState
import dk.gadeplan.core.Store
import dk.gadeplan.core.startState
import java.io.File
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue

class RekeyTest {
    private val phone = Phone()
    private val opened = mutableListOf<PhoneStore>()
    private val names = listOf("Kim", "Lone", "Bo")
    private val pendingFile = File(phone.dir, KeyVault.PENDING_FILE)
    private val main = Route.Main("Mette", TestCentre.TEAM, TestCentre.url)

    private fun start(): PhoneStore = phone.start().also { opened += it }
    private fun vault() = KeyVault(phone.dir, phone.wrapper)
    private fun currentKey(): ByteArray = assertIs<LoadedKey.Found>(vault().load()).key

    @AfterTest
    fun tearDown() {
        opened.forEach { runCatching { it.store()?.close() } }
        phone.dir.deleteRecursively()
    }

    /** An enrolled phone with three persons recorded. */
    private fun enrolledWithRecords(): PhoneStore {
        val store = start()
        assertEquals(Route.Enrol(false), store.route())
        assertEquals(main, store.enrol(TestCentre.url, TestCentre.code("Mette"), "Mette", centreTransport()))
        names.forEach { store.store()!!.addPerson(NewPerson(it, null, null, null, null)) }
        return store
    }

    /** The app started again after the process died: every record there, one key file left. */
    private fun startsWithEveryRecord(): PhoneStore {
        val again = start()
        assertEquals(main, again.route())
        assertEquals(names.sorted(), again.store()!!.listPersons(null, 0u).map { it.alias }.sorted())
        assertFalse(pendingFile.exists(), "the pending key is settled at the start")
        assertFalse(vault().hasPending())
        return again
    }

    private fun opens(key: ByteArray, path: String): Boolean = startState(path, key) !is StartState.KeyLost

    @Test
    fun aRekeyReEncryptsTheStoreAndKeepsOnlyTheNewKey() {
        val store = enrolledWithRecords()
        val old = currentKey()
        store.rekey()
        val new = currentKey()
        assertFalse(old.contentEquals(new), "a new key")
        assertFalse(pendingFile.exists())
        assertEquals(3, store.store()!!.listPersons(null, 0u).size, "the open store goes on under the new key")
        store.store()!!.addPerson(NewPerson("Ida", null, null, null, null))
        store.store()!!.close()
        assertFalse(opens(old, store.path), "the old key no longer opens the store")
        assertTrue(opens(new, store.path))
        val again = start()
        assertEquals(main, again.route())
        assertEquals((names + "Ida").sorted(), again.store()!!.listPersons(null, 0u).map { it.alias }.sorted())
        again.rekey() // and again
        assertFalse(new.contentEquals(currentKey()))
    }

    @Test
    fun aRefusalLeavesTheCurrentKey() {
        val store = enrolledWithRecords()
        val old = currentKey()
        // Something else has the store open (the CLI beside the app): the core refuses, nothing changed.
        val other = Store.open(store.path, old)
        try {
            assertFailsWith<GadeplanException.NotAllowed> { store.rekey() }
        } finally {
            other.close()
        }
        assertContentEquals(old, currentKey(), "the current key is kept")
        assertFalse(pendingFile.exists(), "the pending key is deleted")
        assertEquals(3, store.store()!!.listPersons(null, 0u).size, "the store is open as before")
        store.store()!!.close()
        assertTrue(opens(old, store.path))
        startsWithEveryRecord().rekey() // and a later rekey goes through
        assertFalse(old.contentEquals(currentKey()))
    }

    @Test
    fun dyingAfterThePendingKeyIsSavedOpensWithTheCurrentKey() {
        val store = enrolledWithRecords()
        val old = currentKey()
        val pending = vault().beginRekey() // steps 1 and 2
        assertTrue(pendingFile.exists())
        assertEquals(1, pendingFile.readBytes()[0].toInt(), "the same format as the current key's file")
        assertContentEquals(pending, assertIs<LoadedKey.Found>(vault().loadPending()).key)
        store.store()!!.close() // the process dies here
        startsWithEveryRecord()
        assertContentEquals(old, currentKey(), "the store never changed: the current key stays")
    }

    @Test
    fun dyingAfterTheRekeyBeforePromotionPromotesThePendingKey() {
        val store = enrolledWithRecords()
        val old = currentKey()
        val pending = vault().beginRekey()
        store.store()!!.rekey(old, pending) // step 3
        store.store()!!.close() // the process dies here
        assertFalse(opens(old, store.path))
        startsWithEveryRecord()
        assertContentEquals(pending, currentKey(), "the pending key is the current one now")
    }

    @Test
    fun dyingAfterPromotionBeforeThePendingKeyIsDeletedDeletesIt() {
        val store = enrolledWithRecords()
        val old = currentKey()
        val pending = vault().beginRekey()
        store.store()!!.rekey(old, pending)
        vault().savePendingAsCurrent() // the first half of step 4
        assertTrue(pendingFile.exists())
        store.store()!!.close() // the process dies here
        startsWithEveryRecord()
        assertContentEquals(pending, currentKey())
    }

    @Test
    fun aRekeyAfterAPromotionThatFailedInThisProcessSettlesItFirst() {
        val store = enrolledWithRecords()
        val old = currentKey()
        val pending = vault().beginRekey()
        store.store()!!.rekey(old, pending) // the promotion did not happen (say the disk refused it)
        store.rekey()
        val now = currentKey()
        assertFalse(now.contentEquals(old) || now.contentEquals(pending), "settled, then a new key")
        assertFalse(pendingFile.exists())
        assertEquals(3, store.store()!!.listPersons(null, 0u).size)
        store.store()!!.close()
        startsWithEveryRecord()
    }

    @Test
    fun noKeyIsDeletedBeforeTheStoreOpensWithTheOther() {
        val store = enrolledWithRecords()
        val old = currentKey()
        val pending = vault().beginRekey()
        store.store()!!.rekey(old, pending)
        store.store()!!.close()
        // A pending key that is not the one the store was rekeyed with: neither key opens it.
        vault().discardPending()
        vault().beginRekey()
        val lost = start()
        assertIs<Route.KeyLost>(lost.route())
        assertNull(lost.store())
        assertTrue(pendingFile.exists(), "both keys are kept")
        assertContentEquals(old, currentKey())
    }
}
