// The ViewModel behind every screen (A13, A14, A26): the store is only ever called on
// Dispatchers.IO, never in composition; what a screen shows is a StateFlow (loading, failed with
// the error in the worker's language, or ready), reloaded whenever a record or a sync changed
// the store (GadeplanApp.changes, A24); and `save` runs one write at a time: while it runs the
// screen's Save is disabled, so a double tap with gloves cannot record twice; `online` does the
// same for the few actions that need the centre, and `act` for one that records nothing.

package dk.gadeplan.app.ui

import androidx.lifecycle.ViewModel
import androidx.lifecycle.viewModelScope
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.app.logic.describe
import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.Store
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

sealed interface Load<out T> {
    data object Loading : Load<Nothing>
    data class Failed(val message: String) : Load<Nothing>
    data class Ready<T>(val value: T) : Load<T>
}

/** The value once ready, else null. */
fun <T> Load<T>.valueOrNull(): T? = when (this) {
    is Load.Ready -> value
    is Load.Loading, is Load.Failed -> null
}

/** The store is not open (the phone is being reset or was revoked meanwhile). */
class NoStoreException : IllegalStateException("no store is open")

open class StoreModel<T>(val app: GadeplanApp, private val query: ((Store) -> T)?) : ViewModel() {
    private val loaded = MutableStateFlow<Load<T>>(Load.Loading)
    val state: StateFlow<Load<T>> = loaded.asStateFlow()

    private val busy = MutableStateFlow(false)
    val saving: StateFlow<Boolean> = busy.asStateFlow()

    private val failure = MutableStateFlow<String?>(null)
    /** The last save's error, in the worker's language; null when it went well. */
    val error: StateFlow<String?> = failure.asStateFlow()

    init {
        if (query != null) {
            // `changes` is a StateFlow: its current value comes at once, so this is also the first load.
            viewModelScope.launch { app.changes.collect { reload() } }
        }
    }

    /** The load under way: a newer one cancels it, so an older answer never overwrites a newer. */
    private var loading: Job? = null

    fun reload() {
        val q = query ?: return
        loading?.cancel()
        loading = viewModelScope.launch {
            val next: Load<T> = withContext(Dispatchers.IO) {
                try {
                    Load.Ready(q(open()))
                } catch (e: Exception) {
                    Load.Failed(message(e))
                }
            }
            loaded.value = next
        }
    }

    /** One write: `work` on the IO dispatcher, then `done` with its result on the main thread. */
    fun <R> save(work: (Store) -> R, done: (R) -> Unit) =
        guarded(work, done, after = { app.recorded() }, failed = {})

    /**
     * An online action (a search at the centre, fetching a history, a new device token): one at
     * a time like a save (`saving` guards the button), on the IO dispatcher; a phone the centre
     * revoked meanwhile is routed again (to the revocation screen).
     */
    fun <R> online(work: (Store) -> R, done: (R) -> Unit) =
        guarded(work, done, after = {}, failed = { e -> if (e is GadeplanException.Revoked) app.refreshRoute() })

    /**
     * An action on the phone that records nothing (a new key for the store): one at a time like
     * a save, on the IO dispatcher; after a failure the route is worked out again, as the
     * action may have left the store closed.
     */
    fun <R> act(work: (Store) -> R, done: (R) -> Unit) =
        guarded(work, done, after = {}, failed = { app.refreshRoute() })

    /**
     * The one way a save, an online action or an action runs: not while another runs (`busy`
     * guards the button against a double tap), `work` on the IO dispatcher, `after` then `done`
     * on the main thread; a failure's words go to `failure`, then `failed` sees it.
     */
    private fun <R> guarded(work: (Store) -> R, done: (R) -> Unit, after: () -> Unit, failed: (Exception) -> Unit) {
        if (busy.value) return
        busy.value = true
        failure.value = null
        viewModelScope.launch {
            try {
                val result = withContext(Dispatchers.IO) { work(open()) }
                after()
                done(result)
            } catch (e: Exception) {
                failure.value = message(e)
                failed(e)
            } finally {
                busy.value = false
            }
        }
    }

    /** A read on demand (an SMS text, a document): the error goes to `error`. */
    fun <R> read(work: (Store) -> R, done: (R) -> Unit) {
        viewModelScope.launch {
            try {
                done(withContext(Dispatchers.IO) { work(open()) })
            } catch (e: Exception) {
                failure.value = message(e)
            }
        }
    }

    fun showError(text: String?) {
        failure.value = text
    }

    private fun open(): Store = app.store() ?: throw NoStoreException()

    private fun message(e: Exception): String =
        if (e is NoStoreException) ui("Telefonens data er ikke åbne. Start appen igen.", "The phone's data is not open. Restart the app.")
        else describe(e, app.language)
}

/** The application, from a composable. */
@androidx.compose.runtime.Composable
fun gadeplanApp(): GadeplanApp = androidx.compose.ui.platform.LocalContext.current.applicationContext as GadeplanApp
