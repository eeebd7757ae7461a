// The store's key (review findings A8, A9, A10): 32 random bytes, made once, kept on disk only
// wrapped (encrypted) by a platform key that never leaves the platform: the Android Keystore on
// the phone, an in-memory JCE key in the tests. This file owns the key file and the rules around
// it; the platform's part is the small KeyWrapper interface.
//
// - Loading never creates anything. A key file whose wrapping key is gone, a key file that does
//   not open (truncated, another version, a bad tag), or a store without a key file is Lost, and
//   says so: a new key would not open the store, and a silently made one would overwrite the only
//   hope of a later fix (A8). Missing is only a first start: no key file, no wrapping key, no
//   store. Where the store is, `storeExists` says: by default PhoneStore's file in the same
//   directory. (PhoneStore asks the core's startState with no key besides, which says KeyLost for
//   a store without a key, so even a vault told wrong never leads to a new key for a store.)
// - The file is `store.key.enc`: one version byte (1), then the wrapper's output (iv +
//   ciphertext of AES-GCM on the phone). The GCM additional data is "gadeplan-store-key|v1", so a
//   blob of another version or purpose does not unwrap as this one (A10).
// - Writing goes to a temporary file, synced to the disk, renamed over the key file atomically,
//   and the directory synced where the platform allows: a power cut leaves the old state or the
//   new one, never a truncated key beside a created store (A9). The written file is read back and
//   unwrapped before the key is handed out.
// - Key bytes are zeroed once they are no longer needed; the caller zeroes the key it is given
//   once the core has it (the core keeps its own copy while the store is open).

package dk.gadeplan.app.logic

import java.io.File
import java.io.FileOutputStream
import java.io.IOException
import java.nio.channels.FileChannel
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption
import java.security.SecureRandom

/** The platform's wrapping key: the Android Keystore on the phone, a JCE AES key in the tests. */
interface KeyWrapper {
    fun exists(): Boolean
    fun create() // only KeyVault.create calls it
    fun wrap(plain: ByteArray, aad: ByteArray): ByteArray // returns iv + ciphertext
    fun unwrap(blob: ByteArray, aad: ByteArray): ByteArray // throws on a bad tag / missing key
    fun delete()
}

sealed interface LoadedKey {
    /** The store's key. The caller zeroes it (`key.fill(0)`) once the core has it. */
    class Found(val key: ByteArray) : LoadedKey

    /** No key file, no wrapping key and no store: a first start. */
    data object Missing : LoadedKey

    /** The key file is unreadable, the wrapping key is gone, or a store has no key file. */
    data class Lost(val detail: String) : LoadedKey
}

class KeyVault(
    dir: File,
    private val wrapper: KeyWrapper,
    /** Whether the store this key opens is on disk; see the header. */
    private val storeExists: () -> Boolean = { File(dir, PhoneStore.FILE).exists() },
) {
    private val file = File(dir, FILE)
    private val temporary = File(dir, "$FILE.tmp")

    /**
     * The store's key, read and unwrapped; never creates anything. Throws only when the disk or
     * the platform's key store cannot be asked at all (an I/O error, a Keystore that does not
     * answer): that is not a lost key, and trying again may work.
     */
    fun load(): LoadedKey {
        val wrapping = wrapper.exists()
        if (!file.exists()) {
            return when {
                storeExists() -> LoadedKey.Lost("the store is here but its key file is not")
                wrapping -> LoadedKey.Lost("a wrapping key without a key file: an earlier first start stopped half-way")
                else -> LoadedKey.Missing
            }
        }
        if (!wrapping) return LoadedKey.Lost("the platform no longer holds the key that wraps the store's key")
        val blob = file.readBytes()
        if (blob.isEmpty()) return LoadedKey.Lost("the key file is empty")
        if (blob[0] != VERSION) return LoadedKey.Lost("the key file has an unknown format (${blob[0].toInt() and 0xff})")
        val key = try {
            wrapper.unwrap(blob.copyOfRange(1, blob.size), AAD)
        } catch (e: Exception) {
            return LoadedKey.Lost("the key file does not open with the platform's key (${e.javaClass.simpleName})")
        }
        if (key.size != KEY_BYTES) {
            key.fill(0)
            return LoadedKey.Lost("the key file holds a key of ${key.size} bytes, not $KEY_BYTES")
        }
        return LoadedKey.Found(key)
    }

    /**
     * A new random 32-byte key for a new store, wrapped and written durably (see the header).
     * Refuses when a key file or the store is already here: a key that exists is never replaced
     * (erase first). A wrapping key left by a first start that stopped half-way is replaced.
     */
    fun create(): ByteArray {
        check(!file.exists()) { "a key file exists already: erase it before creating another" }
        check(!storeExists()) { "a store exists already: a new key would not open it" }
        if (wrapper.exists()) wrapper.delete()
        wrapper.create()
        val key = ByteArray(KEY_BYTES).also { SecureRandom().nextBytes(it) }
        try {
            val wrapped = wrapper.wrap(key, AAD)
            val blob = byteArrayOf(VERSION) + wrapped
            writeDurably(blob)
            val back = (load() as? LoadedKey.Found)?.key
                ?: throw IOException("the key file just written does not read back")
            val same = back.contentEquals(key)
            back.fill(0)
            if (!same) throw IOException("the key file just written reads back another key")
            return key
        } catch (e: Exception) {
            key.fill(0)
            file.delete()
            temporary.delete()
            throw e
        }
    }

    /** Deletes the key file and the wrapping key (a wipe: the store is erased beside it). */
    fun erase() {
        try {
            temporary.delete()
            if (file.exists() && !file.delete()) throw IOException("the key file could not be deleted")
            syncDirectory()
        } finally {
            wrapper.delete()
        }
    }

    private fun writeDurably(blob: ByteArray) {
        file.parentFile?.mkdirs()
        FileOutputStream(temporary).use { out ->
            out.write(blob)
            out.fd.sync()
        }
        Files.move(temporary.toPath(), file.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
        syncDirectory()
    }

    /** The rename itself made durable: the directory's entry synced, where the platform lets a
     *  directory be opened (Linux and Android do; elsewhere the rename is as durable as the
     *  file system makes it). */
    private fun syncDirectory() {
        val dir = file.absoluteFile.parentFile ?: return
        try {
            FileChannel.open(dir.toPath(), StandardOpenOption.READ).use { it.force(true) }
        } catch (e: IOException) {
            // Not possible here; the file itself is synced.
        }
    }

    companion object {
        const val FILE = "store.key.enc"
        const val KEY_BYTES = 32
        private const val VERSION: Byte = 1

        /** The GCM additional data: names what is wrapped and the format's version. */
        private val AAD: ByteArray = "gadeplan-store-key|v1".toByteArray(Charsets.UTF_8)
    }
}
