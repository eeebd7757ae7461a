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
// - A rekey keeps a second key beside the current one until it is over (docs/keys.md, "How a
//   shell keeps the old and the new key"): the pending key, `store.key.pending.enc`, in the same
//   format under the same wrapping key, written the same durable way (beginRekey); promote()
//   writes it as the current key, then deletes it; discardPending() deletes it. Which of the two
//   opens the store only the store can say, so PhoneStore decides when to promote or discard.

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
    private val pending = File(dir, PENDING_FILE)
    private val pendingTemporary = File(dir, "$PENDING_FILE.tmp")

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
        return read(file)
    }

    /** Whether a rekey left its pending key here (see the header). */
    fun hasPending(): Boolean = pending.exists()

    /**
     * The pending key of a rekey, read and unwrapped as load() reads the current one; null when
     * there is none. Lost when it does not open (the caller keeps the file all the same unless
     * the current key opens the store).
     */
    fun loadPending(): LoadedKey? {
        if (!pending.exists()) return null
        if (!wrapper.exists()) return LoadedKey.Lost("the platform no longer holds the key that wraps the pending key")
        return read(pending)
    }

    /**
     * Steps 1 and 2 of a rekey: a new random 32-byte key, saved as the pending key, durably and
     * read back, before the store is touched. Refuses when a pending key is here already (the
     * store must be opened first: that settles it) or when there is no current key. The caller
     * zeroes the key.
     */
    fun beginRekey(): ByteArray {
        check(!pending.exists()) { "a pending key is here already: open the store first, which settles it" }
        check(file.exists() && wrapper.exists()) { "no current key to rekey from" }
        val key = ByteArray(KEY_BYTES).also { SecureRandom().nextBytes(it) }
        try {
            writeDurably(pending, pendingTemporary, byteArrayOf(VERSION) + wrapper.wrap(key, AAD))
            val back = (read(pending) as? LoadedKey.Found)?.key
                ?: throw IOException("the pending key just written does not read back")
            val same = back.contentEquals(key)
            back.fill(0)
            if (!same) throw IOException("the pending key just written reads back another key")
            return key
        } catch (e: Exception) {
            key.fill(0)
            pending.delete()
            pendingTemporary.delete()
            throw e
        }
    }

    /**
     * Step 4, once the store opens with the pending key: the pending key written as the current
     * one (a temporary file, synced, renamed), then the pending file deleted. Throws when the
     * pending key does not read (nothing is changed then).
     */
    fun promote() {
        savePendingAsCurrent()
        discardPending()
    }

    /** Step 5, or the current key opened the store: the pending key is not needed. */
    fun discardPending() {
        pendingTemporary.delete()
        if (pending.exists() && !pending.delete()) throw IOException("the pending key file could not be deleted")
        syncDirectory()
    }

    /** The first half of promote(), on its own for the tests of a crash between the two. */
    internal fun savePendingAsCurrent() {
        val found = loadPending() as? LoadedKey.Found ?: throw IOException("the pending key does not read")
        found.key.fill(0)
        writeDurably(file, temporary, pending.readBytes())
    }

    /** A key file as written by writeDurably: the version byte, then the wrapped key. */
    private fun read(from: File): LoadedKey {
        val name = if (from == file) "the key file" else "the pending key file"
        val blob = from.readBytes()
        if (blob.isEmpty()) return LoadedKey.Lost("$name is empty")
        if (blob[0] != VERSION) return LoadedKey.Lost("$name has an unknown format (${blob[0].toInt() and 0xff})")
        val key = try {
            wrapper.unwrap(blob.copyOfRange(1, blob.size), AAD)
        } catch (e: Exception) {
            return LoadedKey.Lost("$name does not open with the platform's key (${e.javaClass.simpleName})")
        }
        if (key.size != KEY_BYTES) {
            key.fill(0)
            return LoadedKey.Lost("$name holds a key of ${key.size} bytes, not $KEY_BYTES")
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
        discardPending() // a pending key without a store or a current key opens nothing
        wrapper.create()
        val key = ByteArray(KEY_BYTES).also { SecureRandom().nextBytes(it) }
        try {
            val wrapped = wrapper.wrap(key, AAD)
            val blob = byteArrayOf(VERSION) + wrapped
            writeDurably(file, temporary, blob)
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

    /** Deletes the key files (current and pending) and the wrapping key (a wipe: the store is
     *  erased beside them). */
    fun erase() {
        try {
            temporary.delete()
            pendingTemporary.delete()
            if (file.exists() && !file.delete()) throw IOException("the key file could not be deleted")
            if (pending.exists() && !pending.delete()) throw IOException("the pending key file could not be deleted")
            syncDirectory()
        } finally {
            wrapper.delete()
        }
    }

    private fun writeDurably(target: File, temporary: File, blob: ByteArray) {
        target.parentFile?.mkdirs()
        FileOutputStream(temporary).use { out ->
            out.write(blob)
            out.fd.sync()
        }
        Files.move(temporary.toPath(), target.toPath(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
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
        const val PENDING_FILE = "store.key.pending.enc"
        const val KEY_BYTES = 32
        private const val VERSION: Byte = 1

        /** The GCM additional data: names what is wrapped and the format's version. */
        private val AAD: ByteArray = "gadeplan-store-key|v1".toByteArray(Charsets.UTF_8)
    }
}
