// The application: holds the phone's one store (logic/PhoneStore: key vault, start state,
// enrolment, wipe) and publishes where the app starts as a StateFlow<Route?>, computed off the
// main thread (A11–A13): null while the Keystore unwraps the key and the store opens, then
// Enrol, Main, Revoked, KeyLost or Broken; never an exception at launch. It also owns what
// lives as long as the process: the sync log, the notifier, the connectivity flow, the app lock,
// and `changes`, bumped after every record and every sync so that open lists reload (A24).

package dk.gadeplan.app

import android.app.Application
import android.os.Build
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import dk.gadeplan.app.logic.AppLock
import dk.gadeplan.app.logic.KeyVault
import dk.gadeplan.app.logic.PhoneStore
import dk.gadeplan.app.logic.Route
import dk.gadeplan.app.logic.SyncCoordinator
import dk.gadeplan.app.logic.describe
import dk.gadeplan.app.platform.Connectivity
import dk.gadeplan.app.platform.ContactDefaults
import dk.gadeplan.app.platform.KeystoreKeyWrapper
import dk.gadeplan.app.platform.NotificationsNotifier
import dk.gadeplan.app.platform.PrefsSyncLog
import dk.gadeplan.app.platform.phoneLanguage
import dk.gadeplan.app.sync.HttpUrlConnectionTransport
import dk.gadeplan.app.sync.SyncScheduler
import dk.gadeplan.app.logic.SyncEvent
import dk.gadeplan.app.logic.CheckinReminders
import dk.gadeplan.app.sync.CheckinDue
import java.time.Instant
import dk.gadeplan.core.Language
import dk.gadeplan.core.Store
import dk.gadeplan.core.Transport
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.update
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock

class GadeplanApp : Application() {
    lateinit var phone: PhoneStore
        private set
    lateinit var syncLog: PrefsSyncLog
        private set
    lateinit var notifier: NotificationsNotifier
        private set
    lateinit var connectivity: Connectivity
        private set
    lateinit var contactDefaults: ContactDefaults
        private set

    /** The app's own scope, for work that outlives a screen (the route, a wipe). */
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)

    private val routeState = MutableStateFlow<Route?>(null)
    /** Where the app is: null while it is being worked out (a spinner). */
    val route: StateFlow<Route?> = routeState.asStateFlow()
    private val routing = Mutex()

    private val changeCount = MutableStateFlow(0L)
    /** Bumped after a record or a sync: screens showing lists reload on it. */
    val changes: StateFlow<Long> = changeCount.asStateFlow()

    /** The UI lock (M2): on a cold start, and after five minutes away. Not a key lock (ADR 0005). */
    val lock = AppLock(LOCK_AFTER_MILLIS) { System.currentTimeMillis() }
    private val lockedState = MutableStateFlow(true)
    val locked: StateFlow<Boolean> = lockedState.asStateFlow()

    /** Whether the notification permission was asked for in this process (ui/HomeScreen: once). */
    @Volatile
    var askedForNotifications = false

    /** The language of the core's labels and of the app's words, after the phone's languages. */
    val language: Language get() = phoneLanguage()

    override fun onCreate() {
        super.onCreate()
        val dir = noBackupFilesDir // excluded from backups; covers gadeplan.db, -wal, -shm and the key file
        phone = PhoneStore(dir, KeyVault(dir, KeystoreKeyWrapper()), Build.MODEL ?: "Android")
        syncLog = PrefsSyncLog(this)
        notifier = NotificationsNotifier(this)
        connectivity = Connectivity(this)
        contactDefaults = ContactDefaults(this)
        lockedState.value = lock.locked
        ProcessLifecycleOwner.get().lifecycle.addObserver(object : DefaultLifecycleObserver {
            override fun onStart(owner: LifecycleOwner) {
                lock.foregrounded()
                lockedState.value = lock.locked
            }

            override fun onStop(owner: LifecycleOwner) {
                lock.backgrounded()
                // Leaving the app: what was recorded goes to the centre now, not in 15 minutes.
                SyncScheduler.on(this@GadeplanApp, SyncEvent.LeftApp, route.value)
            }
        })
        refreshRoute()
    }

    /** Works out the route again, off the main thread (after enrolment, a wipe, a revocation). */
    fun refreshRoute() {
        scope.launch(Dispatchers.IO) {
            routing.withLock {
                val next = phone.route()
                routeState.value = next
                SyncScheduler.on(this@GadeplanApp, SyncEvent.Routed(next), next)
                // The worker's own open check-ins have their due-time reminder (after an update,
                // or work WorkManager lost): scheduled again, REPLACE, for the same due time.
                if (next is Route.Main) try {
                    phone.store()?.let { store ->
                        CheckinReminders.plan(store.checkins(), store.identity().worker, Instant.now()).forEach { CheckinDue.schedule(this@GadeplanApp, it) }
                    }
                } catch (e: Exception) {
                    // The store busy: the next start or the check-in screen schedules it.
                }
            }
        }
    }

    /** The worker proved it is them (biometric or the phone's PIN). */
    fun unlocked() {
        lock.unlocked()
        lockedState.value = lock.locked
    }

    /** The open store for a screen's ViewModel (call on Dispatchers.IO); null if none is open. */
    fun store(): Store? = phone.store()

    /** The way to the centre for an online action (search, fetch, token) outside a sync. */
    fun transport(centre: String): Transport = HttpUrlConnectionTransport(centre, BuildConfig.VERSION_NAME)

    /** The one sync of the phone, with its outcome kept and the worker told. */
    fun coordinator(): SyncCoordinator =
        SyncCoordinator(phone, { centre -> HttpUrlConnectionTransport(centre, BuildConfig.VERSION_NAME) }, syncLog, notifier, { System.currentTimeMillis() }, language)

    /**
     * Sign-out, a revocation, a lost key (M4, M5, A8): no sync left, the store and its key gone
     * from the phone (PhoneStore.wipe: gadeplan.db*, the key file, the Keystore alias), the
     * sync log, remembered choices and notifications cleared; back to enrolment. Returns the
     * error in the worker's words, or null. Call off the main thread.
     */
    suspend fun wipe(): String? = withContext(Dispatchers.IO) {
        routing.withLock {
            SyncScheduler.on(this@GadeplanApp, SyncEvent.Wiped, null)
            val error = try {
                phone.wipe()
                null
            } catch (e: Exception) {
                describe(e, language)
            }
            syncLog.clear()
            contactDefaults.clear()
            notifier.clearAll()
            routeState.value = phone.route()
            error
        }
    }

    /** Lists reload. */
    fun changed() = changeCount.update { it + 1 }

    /** After a record: lists reload, and a sync follows shortly (debounced). */
    fun recorded() {
        changed()
        SyncScheduler.on(this, SyncEvent.Recorded, route.value)
    }

    private companion object {
        const val LOCK_AFTER_MILLIS = 5 * 60 * 1000L
    }
}
