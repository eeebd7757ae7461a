// The store's key in its vault (A8, A9, A10): made once, found again at every start, and when
// anything of it is gone or damaged, Lost, never a new key made in silence; erased with the store.
// A rekey's pending key beside it (docs/keys.md): begun, promoted or discarded, erased with it.

package dk.gadeplan.app.logic

import java.io.File
import java.nio.file.Files
import kotlin.test.AfterTest
import kotlin.test.Test
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNull
import kotlin.test.assertTrue

class KeyVaultTest {
    private val dir: File = Files.createTempDirectory("gadeplan-vault").toFile()
    private val wrapper = JceKeyWrapper()
    private val keyFile = File(dir, KeyVault.FILE)
    private val storeFile = File(dir, PhoneStore.FILE)
    private fun vault() = KeyVault(dir, wrapper) { storeFile.exists() }

    @AfterTest
    fun tearDown() {
        dir.deleteRecursively()
    }

    @Test
    fun aFirstStartMakesTheKeyAndEveryLaterStartFindsIt() {
        assertEquals(LoadedKey.Missing, vault().load())
        assertFalse(keyFile.exists(), "loading creates nothing")
        assertFalse(wrapper.exists())
        val key = vault().create()
        assertEquals(32, key.size)
        assertFalse(key.all { it == 0.toByte() })
        val bytes = keyFile.readBytes()
        assertEquals(1, bytes[0].toInt(), "the format's version comes first")
        assertFalse(bytes.toList().windowed(32).any { it == key.toList() }, "the key is not in the file in plain")
        assertFalse(File(dir, "${KeyVault.FILE}.tmp").exists(), "the temporary file was renamed")
        val found = assertIs<LoadedKey.Found>(vault().load())
        assertContentEquals(key, found.key)
        assertContentEquals(key, assertIs<LoadedKey.Found>(vault().load()).key, "the same at every start")
        assertFailsWith<IllegalStateException> { vault().create() }
        assertContentEquals(key, assertIs<LoadedKey.Found>(vault().load()).key, "a key that exists is never replaced")
    }

    @Test
    fun aLostWrappingKeyIsLostAndNeverANewKey() {
        val key = vault().create()
        storeFile.writeText("a store")
        wrapper.delete()
        val lost = assertIs<LoadedKey.Lost>(vault().load())
        assertTrue(lost.detail.contains("no longer holds"), lost.detail)
        assertIs<LoadedKey.Lost>(vault().load(), "still lost at the next start")
        assertFalse(wrapper.exists(), "loading made no new wrapping key")
        assertTrue(keyFile.exists(), "the key file is kept for a later fix")
        assertFailsWith<IllegalStateException> { vault().create() }
        assertTrue(key.isNotEmpty())
    }

    @Test
    fun aTruncatedOrForeignKeyFileIsLost() {
        val key = vault().create()
        val whole = keyFile.readBytes()
        keyFile.writeBytes(whole.copyOf(whole.size - 5))
        assertIs<LoadedKey.Lost>(vault().load(), "a truncated file: the GCM tag does not match")
        keyFile.writeBytes(whole.copyOf(10))
        assertIs<LoadedKey.Lost>(vault().load(), "cut inside the iv")
        keyFile.writeBytes(ByteArray(0))
        assertTrue(assertIs<LoadedKey.Lost>(vault().load()).detail.contains("empty"))
        keyFile.writeBytes(whole.copyOf().also { it[0] = 2 })
        assertTrue(assertIs<LoadedKey.Lost>(vault().load()).detail.contains("format"))
        keyFile.writeBytes(whole.copyOf().also { it[it.size - 1] = (it[it.size - 1] + 1).toByte() })
        assertIs<LoadedKey.Lost>(vault().load(), "one bit changed")
        keyFile.writeBytes(whole)
        assertContentEquals(key, assertIs<LoadedKey.Found>(vault().load()).key, "the file as written opens again")
    }

    @Test
    fun aStoreWithoutAKeyFileIsLost() {
        storeFile.writeText("a store")
        assertIs<LoadedKey.Lost>(vault().load())
        assertFailsWith<IllegalStateException> { vault().create() }
        assertFalse(keyFile.exists())
        // By default the vault looks for PhoneStore's file beside it.
        assertIs<LoadedKey.Lost>(KeyVault(dir, wrapper).load())
        // A vault told wrong says Missing: PhoneStore asks the core then (see its test).
        assertEquals(LoadedKey.Missing, KeyVault(dir, wrapper) { false }.load())
    }

    @Test
    fun aWrappingKeyWithoutAKeyFileIsLostAndCreateStartsAfresh() {
        wrapper.create()
        assertIs<LoadedKey.Lost>(vault().load(), "a first start that stopped half-way")
        val key = vault().create()
        assertContentEquals(key, assertIs<LoadedKey.Found>(vault().load()).key)
    }

    @Test
    fun eraseRemovesTheKeyFileAndTheWrappingKey() {
        vault().create()
        vault().erase()
        assertFalse(keyFile.exists())
        assertFalse(wrapper.exists())
        assertEquals(LoadedKey.Missing, vault().load())
        vault().erase() // erasing nothing is fine
        assertEquals(32, vault().create().size)
    }

    @Test
    fun aPendingKeyIsSavedBesideTheCurrentOneAndPromotedOrDiscarded() {
        val key = vault().create()
        val pendingFile = File(dir, KeyVault.PENDING_FILE)
        assertNull(vault().loadPending())
        val pending = vault().beginRekey()
        assertEquals(32, pending.size)
        assertFalse(pending.contentEquals(key))
        assertEquals(1, pendingFile.readBytes()[0].toInt(), "the current key's format")
        assertFalse(File(dir, "${KeyVault.PENDING_FILE}.tmp").exists(), "the temporary file was renamed")
        assertContentEquals(pending, assertIs<LoadedKey.Found>(vault().loadPending()).key)
        assertContentEquals(key, assertIs<LoadedKey.Found>(vault().load()).key, "the current key is untouched")
        assertFailsWith<IllegalStateException> { vault().beginRekey() }
        vault().promote()
        assertContentEquals(pending, assertIs<LoadedKey.Found>(vault().load()).key)
        assertFalse(pendingFile.exists())
        val second = vault().beginRekey()
        vault().discardPending()
        assertFalse(pendingFile.exists())
        assertContentEquals(pending, assertIs<LoadedKey.Found>(vault().load()).key)
        assertTrue(second.isNotEmpty())
        vault().beginRekey()
        vault().erase()
        assertFalse(pendingFile.exists(), "erased with the current key")
    }

    @Test
    fun aDamagedPendingKeyIsLostAndNotPromoted() {
        val key = vault().create()
        vault().beginRekey()
        val pendingFile = File(dir, KeyVault.PENDING_FILE)
        pendingFile.writeBytes(pendingFile.readBytes().copyOf(20))
        assertIs<LoadedKey.Lost>(vault().loadPending())
        assertFailsWith<java.io.IOException> { vault().promote() }
        assertContentEquals(key, assertIs<LoadedKey.Found>(vault().load()).key, "nothing changed")
        assertTrue(pendingFile.exists())
    }

    @Test
    fun aKeyStoreThatDoesNotAnswerIsAnErrorNotALostKey() {
        vault().create()
        wrapper.failing = true
        assertFailsWith<java.security.KeyStoreException> { vault().load() }
        wrapper.failing = false
        assertIs<LoadedKey.Found>(vault().load())
    }
}
