// One sync, its outcome kept, the worker told (review findings A15, A16, A17; M5, M6). The
// WorkManager worker on the phone (and "Synk nu") calls syncOnce() and maps the result: Done and
// Busy succeed, Retry retries with back-off, Stop ends the work. This file owns that decision, the
// record of every attempt, and what is notified; the platform gives the log (SharedPreferences),
// the notifications and the transport.
//
// - One sync at a time in the process: a try-lock, so a second request returns Busy at once
//   instead of queuing behind the first (the core's own gate would make it wait and then push
//   what is left). wipe() takes the same lock and waits, so files are never erased under a sync.
// - Nothing escapes: every Throwable becomes a result. An unreachable centre is retried (no
//   signal, no name found, a timeout); a TLS failure or an http:// address the platform refuses is
//   stopped (retrying cannot help; the worker is told); so are the centre's refusals (but for
//   "quota-exceeded" and "rate-limited", which pass), a revocation (the core has erased the
//   phone; told once), a store from a newer app and a storage failure. A full disk is retried and
//   told. A wrong clock (ClockWrong) is retried and told: the next run sends once it is set right.
// - A SyncRecord is saved after each attempt (not after Busy: that attempt is the other run's),
//   keeping the last success's time on a failure.
// - After a sync that got through: the trouble notification is cleared, and the check-in alerts
//   that something is overdue (a colleague overdue or raising the alarm, one's own overdue or not
//   delivered; not "falls due soon") are notified.
// - The project's own rule for "not sent for too long" (M6): after a failed attempt, when own
//   entries are pending and the last successful sync is more than `unsentAfterMillis` ago (4 hours
//   by default), the worker is told how many. A phone that never synced since its enrolment has
//   no time to count from and is not told (the banner still says "Ikke sendt: N").

package dk.gadeplan.app.logic

import dk.gadeplan.core.AlertKind
import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.Language
import dk.gadeplan.core.Store
import dk.gadeplan.core.SyncReport
import dk.gadeplan.core.Transport
import java.util.concurrent.locks.ReentrantLock

enum class SyncProblem {
    OFFLINE, HOST_NOT_FOUND, TIMEOUT, TLS, HTTP_NOT_ALLOWED,
    CENTRE_REFUSED, REVOKED, STORE_TOO_NEW, STORAGE, NOT_ENROLLED, KEY_LOST,
}

data class SyncRecord(val attemptAt: Long, val successAt: Long?, val problem: SyncProblem?, val detail: String?)

interface SyncLog {
    fun save(record: SyncRecord)
    fun last(): SyncRecord?
}

interface SyncNotifier {
    fun trouble(problem: SyncProblem, text: String) // non-retryable, or unsent too long
    fun revoked(text: String)
    fun overdueCheckins(alerts: List<dk.gadeplan.core.Alert>, text: String)
    fun clear()
}

sealed interface SyncResult {
    data class Done(val report: SyncReport) : SyncResult
    data class Retry(val problem: SyncProblem) : SyncResult // WorkManager: Result.retry()
    data class Stop(val problem: SyncProblem) : SyncResult // no point retrying: cancel work
    data object Busy : SyncResult // another sync runs: nothing to do
}

/** The process's one sync lock (see the header); PhoneStore.wipe waits on it too. */
internal object SyncGate {
    val lock = ReentrantLock()
}

class SyncCoordinator(
    private val phone: PhoneStore,
    private val transportFor: (String) -> Transport,
    private val log: SyncLog,
    private val notifier: SyncNotifier,
    private val clock: () -> Long,
    private val language: Language,
    /** Pending entries this long without a successful sync are notified (the project's rule). */
    private val unsentAfterMillis: Long = 4 * 3_600_000L,
) {
    /** One sync, or Busy when one runs already. Never throws. */
    fun syncOnce(): SyncResult {
        if (!SyncGate.lock.tryLock()) return SyncResult.Busy
        try {
            return run()
        } catch (e: Throwable) {
            // Only the log or the notifier can get here (run() catches the sync's failures).
            return SyncResult.Retry(SyncProblem.STORAGE)
        } finally {
            SyncGate.lock.unlock()
        }
    }

    private fun run(): SyncResult {
        val attemptAt = clock()
        val last = quietly { log.last() }
        val centre = when (val route = phone.route()) {
            is Route.Main -> route.centre
            is Route.Enrol -> return failed(attemptAt, last, Outcome(SyncResult.Stop(SyncProblem.NOT_ENROLLED), "not enrolled"), null)
            is Route.Revoked -> {
                // Said when it happened (below); the next runs only stop.
                if (last?.problem != SyncProblem.REVOKED) quietly { notifier.revoked(revokedText()) }
                return failed(attemptAt, last, Outcome(SyncResult.Stop(SyncProblem.REVOKED), route.how), null)
            }
            is Route.KeyLost -> {
                val outcome = Outcome(SyncResult.Stop(SyncProblem.KEY_LOST), route.detail, notify = last?.problem != SyncProblem.KEY_LOST)
                return failed(attemptAt, last, outcome, keyLostText())
            }
            is Route.Broken -> {
                val cause = phone.failure ?: IllegalStateException(route.message)
                return failed(attemptAt, last, outcomeOf(cause), describe(cause, language))
            }
        }
        val store = phone.store() ?: return failed(attemptAt, last, Outcome(SyncResult.Stop(SyncProblem.NOT_ENROLLED), "no open store"), null)
        val report = try {
            store.sync(transportFor(centre))
        } catch (e: Throwable) {
            val outcome = outcomeOf(e)
            if (outcome.result == SyncResult.Stop(SyncProblem.REVOKED)) {
                quietly { notifier.revoked(describe(e, language)) }
                phone.route() // the store is closed: the app's next screen is the revocation's
                return failed(attemptAt, last, outcome.copy(notify = false), null)
            }
            val result = failed(attemptAt, last, outcome, describe(e, language))
            if (!outcome.notify) unsentTooLong(store, last?.successAt, attemptAt, outcome.problem)
            return result
        }
        val doneAt = clock()
        quietly { log.save(SyncRecord(attemptAt, doneAt, null, null)) }
        quietly { notifier.clear() }
        quietly { overdue(store) }
        return SyncResult.Done(report)
    }

    /** What a failure leads to, and whether the worker is told now. */
    private data class Outcome(val result: SyncResult, val detail: String?, val notify: Boolean = false) {
        val problem: SyncProblem
            get() = when (result) {
                is SyncResult.Retry -> result.problem
                is SyncResult.Stop -> result.problem
                else -> SyncProblem.STORAGE
            }
    }

    private fun failed(attemptAt: Long, last: SyncRecord?, outcome: Outcome, text: String?): SyncResult {
        quietly { log.save(SyncRecord(attemptAt, last?.successAt, outcome.problem, outcome.detail)) }
        if (outcome.notify && text != null) quietly { notifier.trouble(outcome.problem, text) }
        return outcome.result
    }

    private fun outcomeOf(e: Throwable): Outcome {
        val detail = e.message ?: e.javaClass.simpleName
        fun retry(problem: SyncProblem, notify: Boolean = false) = Outcome(SyncResult.Retry(problem), detail, notify)
        fun stop(problem: SyncProblem) = Outcome(SyncResult.Stop(problem), detail, notify = true)
        return when (e) {
            is GadeplanException.Unreachable -> when (ProblemCodes.problemOf(detail)) {
                SyncProblem.TLS -> stop(SyncProblem.TLS)
                SyncProblem.HTTP_NOT_ALLOWED -> stop(SyncProblem.HTTP_NOT_ALLOWED)
                SyncProblem.HOST_NOT_FOUND -> retry(SyncProblem.HOST_NOT_FOUND)
                SyncProblem.TIMEOUT -> retry(SyncProblem.TIMEOUT)
                else -> retry(SyncProblem.OFFLINE)
            }
            is GadeplanException.CentreRefused ->
                if (refusalCode(detail) in PASSING_REFUSALS) retry(SyncProblem.CENTRE_REFUSED) else stop(SyncProblem.CENTRE_REFUSED)
            is GadeplanException.ClockWrong -> retry(SyncProblem.CENTRE_REFUSED, notify = true)
            is GadeplanException.Revoked -> Outcome(SyncResult.Stop(SyncProblem.REVOKED), detail)
            is GadeplanException.StoreTooNew -> stop(SyncProblem.STORE_TOO_NEW)
            is GadeplanException.Storage -> stop(SyncProblem.STORAGE)
            is GadeplanException.StorageFull -> retry(SyncProblem.STORAGE, notify = true)
            is GadeplanException.NotEnrolled -> Outcome(SyncResult.Stop(SyncProblem.NOT_ENROLLED), detail)
            is GadeplanException.WrongKey -> stop(SyncProblem.KEY_LOST)
            // Anything else (the key store not answering, a fault): tried again, and told.
            else -> retry(SyncProblem.STORAGE, notify = true)
        }
    }

    private fun unsentTooLong(store: Store, successAt: Long?, now: Long, problem: SyncProblem) {
        if (successAt == null || now - successAt <= unsentAfterMillis) return
        val pending = quietly { store.syncStatus().pending.toLong() } ?: return
        if (pending <= 0) return
        val hours = unsentAfterMillis / 3_600_000L
        val text = words(
            language,
            "$pending ${if (pending == 1L) "optegnelse" else "optegnelser"} er ikke sendt til centret i over $hours timer",
            "$pending ${if (pending == 1L) "record has" else "records have"} not reached the centre for more than $hours hours",
        )
        quietly { notifier.trouble(problem, text) }
    }

    private fun overdue(store: Store) {
        val alerts = store.alerts().filter { it.kind != AlertKind.OWN_DUE_SOON }
        if (alerts.isEmpty()) return
        val text = alerts.joinToString("\n") { alert ->
            val label = if (language == Language.DANISH) alert.kindLabel.da else alert.kindLabel.en
            "$label: ${alert.worker}, ${alert.place}"
        }
        notifier.overdueCheckins(alerts, text)
    }

    private fun revokedText() = describe(GadeplanException.Revoked(REVOKED_MESSAGE), language)

    private fun keyLostText() = problemText(SyncProblem.KEY_LOST, language)

    private inline fun <T> quietly(block: () -> T): T? = try {
        block()
    } catch (e: Throwable) {
        null
    }

    companion object {
        /** Refusals that pass: sending is put off, and the next run sends. */
        private val PASSING_REFUSALS = setOf("quota-exceeded", "rate-limited")
        private const val REVOKED_MESSAGE = "this device was revoked by the centre; its recorded data has been erased from it"

        /** The refusal's code, the last "(code)" of the core's CentreRefused message. */
        internal fun refusalCode(message: String): String? = Regex("""\(([a-z0-9-]+)\)\s*$""").find(message)?.groupValues?.get(1)
    }
}
