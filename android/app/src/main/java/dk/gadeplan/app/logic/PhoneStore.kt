// The one store of the phone and where the app starts (review findings A11, A12, A19; I6, I9).
// It owns the store file (`gadeplan.db` in the given directory), the one open `Store` of the
// process, and the order of the steps that make, open, enrol and erase it with its key (KeyVault).
//
// Where the app starts is the core's startState, read from the store itself, never from "a file
// exists": no store or a store never enrolled asks for enrolment, a revoked one says so, one the
// key does not open says that what it held cannot be read, and anything else that goes wrong
// (a store from a newer app, a storage error, a key store that does not answer) is Broken with
// its message: said on a screen, never a crash at launch. route() blocks (the Keystore, the file,
// maybe a migration): call it off the main thread.
//
// A lost key with no store beside it (a first start that stopped between making the key and the
// store) costs nothing: route() erases the vault's remains and asks for enrolment. A lost key
// with a store is KeyLost, and only wipe() (the worker's choice, told what is lost) erases it.
//
// Enrolment creates the store when there is none, with the worker's name and the device's name;
// a store never enrolled whose worker differs from the name now typed is made again (A19: a retry
// with a corrected name must not keep the old identity), unless it holds records of its own; a
// revoked store is erased first (the centre never enrols a revoked device again).
//
// A new key for the store (rekey(), docs/keys.md "How a shell keeps the old and the new key"):
// the store and the Keystore cannot change in one transaction, so the new key is saved as
// pending before the core's Store.rekey and promoted after it, and every open settles what a
// crash left: the current key first; if it does not open the store, the pending one, promoted
// when it does; if the current one opens it, the pending one is deleted. No key is deleted before
// the store has opened with the other, so whatever moment the phone dies, one of them opens it.

package dk.gadeplan.app.logic

import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.StartState
import dk.gadeplan.core.Store
import dk.gadeplan.core.Transport
import dk.gadeplan.core.eraseStore
import dk.gadeplan.core.startState
import java.io.File

sealed interface Route {
    data class Enrol(val storeExists: Boolean) : Route
    data class Main(val worker: String, val team: String, val centre: String) : Route
    data class Revoked(val how: String) : Route
    data class KeyLost(val detail: String) : Route
    data class Broken(val message: String) : Route // e.g. StoreTooNew, Storage: said, not crashed
}

class PhoneStore(dir: File, private val vault: KeyVault, private val deviceName: String) {
    private val file = File(dir, FILE)
    val path: String = file.path

    private val lock = Any()
    private var open: Store? = null

    /** What made the last route() Broken, for the sync coordinator's outcome; null otherwise. */
    @Volatile
    internal var failure: Throwable? = null
        private set

    /** Where the app stands now. Blocking (call off the main thread); never throws. */
    fun route(): Route = synchronized(lock) { guarded { routeLocked() } }

    /** The open store once route() said Main or Enrol(true); null otherwise. */
    fun store(): Store? = synchronized(lock) { open }

    /**
     * Creates the store if none (re-creates an unenrolled one whose worker name differs),
     * enrols over `transport`, and returns the new route. Throws GadeplanException (typed): the
     * core's refusals and Unreachable; NotAllowed when an unenrolled store holds records under
     * another name; WrongKey when the store's key is lost (wipe() first). A platform failure of
     * the key store (a GeneralSecurityException, an IOException) passes through as it is.
     */
    fun enrol(centre: String, code: String, worker: String, transport: Transport): Route = synchronized(lock) {
        val store = storeForEnrolment(worker.trim())
        store.enrol(transport, centre.trim(), code.trim())
        guarded { routeLocked() }
    }

    /**
     * The store re-encrypted under a new random key, in the order of docs/keys.md: (1, 2) the new
     * key saved as pending, (3) the core's Store.rekey, (4) the pending key promoted. On the
     * core's typed refusal (WrongKey, InvalidInput, NotAllowed: something else has the store
     * open, StorageFull) nothing changed: (5) the pending key is deleted and the refusal thrown.
     * Any other failure leaves the outcome for the store to say: it is closed and opened again
     * as at a start (current key, then pending), and the failure thrown. Waits for a sync under
     * way and keeps the next one out meanwhile. Blocking: call off the main thread.
     */
    fun rekey() {
        SyncGate.lock.lock()
        try {
            synchronized(lock) { rekeyLocked() }
        } finally {
            SyncGate.lock.unlock()
        }
    }

    private fun rekeyLocked() {
        // A promotion that failed earlier in this process left a pending key: settle it first.
        if (vault.hasPending()) {
            closeLocked()
            guarded { routeLocked() }
        }
        val store = open ?: throw IllegalStateException("no store is open to rekey")
        val current = (vault.load() as? LoadedKey.Found)?.key ?: throw IllegalStateException("the store's key does not read")
        var next: ByteArray? = null
        try {
            next = vault.beginRekey()
            try {
                store.rekey(current, next)
            } catch (e: GadeplanException) {
                if (e is GadeplanException.WrongKey || e is GadeplanException.InvalidInput ||
                    e is GadeplanException.NotAllowed || e is GadeplanException.StorageFull
                ) {
                    vault.discardPending()
                    throw e
                }
                settleAfter(e)
            } catch (e: Exception) {
                settleAfter(e)
            }
            vault.promote()
        } finally {
            current.fill(0)
            next?.fill(0)
        }
    }

    /** A rekey whose outcome the store must say: opened again as at a start, then `e` thrown. */
    private fun settleAfter(e: Exception): Nothing {
        try {
            closeLocked()
        } catch (ignored: Exception) {
        }
        guarded { routeLocked() }
        throw e
    }

    /** Own entries not yet at the centre, null if unreadable (no open store, or an error). */
    fun unsent(): Long? = synchronized(lock) {
        try {
            open?.syncStatus()?.pending?.toLong()
        } catch (e: Exception) {
            null
        }
    }

    /**
     * Closes the store, erases its files and the key: the phone is back at Enrol(false). Waits
     * for a sync in progress to end first, so that nothing writes to the files as they go. Tries
     * every step, then throws the first failure (the files could not be removed) if any.
     */
    fun wipe() {
        SyncGate.lock.lock()
        try {
            synchronized(lock) {
                var first: Throwable? = null
                try {
                    closeLocked()
                } catch (e: Exception) {
                    first = e
                }
                try {
                    eraseStore(path)
                } catch (e: Exception) {
                    first = first ?: e
                }
                try {
                    vault.erase()
                } catch (e: Exception) {
                    first = first ?: e
                }
                failure = null
                first?.let { throw it }
            }
        } finally {
            SyncGate.lock.unlock()
        }
    }

    private inline fun guarded(block: () -> Route): Route = try {
        block().also { failure = null }
    } catch (e: Throwable) {
        failure = e
        try {
            closeLocked()
        } catch (ignored: Throwable) {
        }
        Route.Broken(e.message ?: e.javaClass.simpleName)
    }

    private fun routeLocked(): Route = when (val loaded = vault.load()) {
        // No key: the core says NeedsEnrolment(false) with no store, KeyLost with one.
        LoadedKey.Missing -> fromState(startState(path, null), null)
        is LoadedKey.Lost -> if (file.exists()) {
            closeLocked()
            Route.KeyLost(loaded.detail)
        } else {
            eraseStore(path)
            vault.erase()
            Route.Enrol(false)
        }
        is LoadedKey.Found -> {
            val (state, key) = settled(loaded.key)
            try {
                fromState(state, key)
            } finally {
                key.fill(0)
                loaded.key.fill(0)
            }
        }
    }

    /**
     * The start state under the current key, with what an interrupted rekey left settled (see
     * the header): the state and the key that gave it. The caller zeroes both keys it holds.
     */
    private fun settled(current: ByteArray): Pair<StartState, ByteArray> {
        val state = startState(path, current)
        val pending = vault.loadPending() ?: return state to current
        if (state !is StartState.KeyLost) {
            // The current key opens the store (or there is none): the rekey had not happened.
            (pending as? LoadedKey.Found)?.key?.fill(0)
            vault.discardPending()
            return state to current
        }
        // Keep both when the pending key does not read or open the store either: KeyLost.
        val key = (pending as? LoadedKey.Found)?.key ?: return state to current
        val opened = startState(path, key)
        if (opened is StartState.KeyLost) {
            key.fill(0)
            return state to current
        }
        // The rekey had finished and its promotion had not.
        vault.promote()
        return opened to key
    }

    private fun fromState(state: StartState, key: ByteArray?): Route = when (state) {
        is StartState.NeedsEnrolment -> {
            if (state.storeExists && key != null) openLocked(key) else closeLocked()
            Route.Enrol(state.storeExists)
        }
        is StartState.Enrolled -> {
            openLocked(checkNotNull(key) { "an enrolled store without a key" })
            Route.Main(state.worker, state.team, state.centre)
        }
        is StartState.Revoked -> {
            closeLocked()
            Route.Revoked(state.how)
        }
        is StartState.KeyLost -> {
            closeLocked()
            Route.KeyLost(state.detail)
        }
    }

    /** The store to enrol, opened: made if none, made again if A19 says so. */
    private fun storeForEnrolment(worker: String): Store {
        val key = when (val loaded = vault.load()) {
            is LoadedKey.Found -> settled(loaded.key).let { (_, key) -> if (key !== loaded.key) loaded.key.fill(0); key }
            LoadedKey.Missing -> if (file.exists()) throw keyLost("the store's key file is missing") else vault.create()
            is LoadedKey.Lost -> if (file.exists()) {
                throw keyLost(loaded.detail)
            } else {
                eraseStore(path)
                vault.erase()
                vault.create()
            }
        }
        try {
            if (!file.exists()) return createLocked(key, worker)
            return when (val state = startState(path, key)) {
                is StartState.NeedsEnrolment -> if (!state.storeExists) createLocked(key, worker) else reuseOrRemake(key, worker)
                // The core refuses a second enrolment (NotAllowed) in its own words.
                is StartState.Enrolled -> openLocked(key)
                is StartState.Revoked -> {
                    closeLocked()
                    eraseStore(path)
                    createLocked(key, worker)
                }
                is StartState.KeyLost -> throw keyLost(state.detail)
            }
        } finally {
            key.fill(0)
        }
    }

    private fun reuseOrRemake(key: ByteArray, worker: String): Store {
        val store = openLocked(key)
        if (store.identity().worker.trim() == worker) return store
        val own = store.syncStatus().pending
        if (own > 0uL) {
            throw GadeplanException.NotAllowed(
                "this phone holds $own records made under another worker's name and never sent; " +
                    "enrol with that name, or erase the phone's data first",
            )
        }
        closeLocked()
        eraseStore(path)
        return createLocked(key, worker)
    }

    private fun keyLost(detail: String) =
        GadeplanException.WrongKey("the store's key is lost ($detail): erase the phone's data before enrolling again")

    private fun createLocked(key: ByteArray, worker: String): Store {
        closeLocked()
        file.parentFile?.mkdirs()
        return Store.create(path, key, worker, deviceName).also { open = it }
    }

    private fun openLocked(key: ByteArray): Store = open ?: Store.open(path, key).also { open = it }

    private fun closeLocked() {
        val store = open ?: return
        open = null
        store.close()
    }

    companion object {
        const val FILE = "gadeplan.db"
    }
}
