// One sync, its outcome kept, the worker told (review findings A15, A16, A17; M5, M6). The
// WorkManager worker on the phone (and "Synk nu") calls syncOnce() and maps the result: Done and
// Busy succeed, Retry retries with back-off, Stop ends the work. This file owns that decision, the
// record of every attempt, and what is notified; the platform gives the log (SharedPreferences),
// the notifications and the transport.
//
// - One sync at a time in the process: a try-lock, so a second request returns Busy at once
//   instead of queuing behind the first (the core's own gate would make it wait and then push
//   what is left). wipe() takes the same lock and waits, so files are never erased under a sync.
// - Nothing escapes: every Throwable becomes a result. Whether a core error is retried or stops
//   the work, and whether the worker is told now, is the core's answer (`syncAdvice`: e.g. a
//   refusal that only puts sending off retries quietly, a wrong token stops and tells); this file
//   only names the problem for the banner and the log. The transport's own problem codes are the
//   shell's (they are the transport's): a TLS failure or an http:// address the platform refuses
//   stops and tells (retrying cannot help); no signal, no name found, a timeout retry quietly. A
//   revocation (the core has erased the phone) is told once, by its own notification.
// - A SyncRecord is saved after each attempt (not after Busy: that attempt is the other run's),
//   keeping the last success's time on a failure.
// - After a sync that got through: the trouble notification is cleared, and the check-in alerts
//   that something is overdue (a colleague overdue or raising the alarm, one's own overdue or not
//   delivered; not "falls due soon") are notified.
// - "Not sent for too long" (M6) is the core's: after a failed attempt not told otherwise, when
//   the core's status says `unsentTooLong`, the worker is told in the core's words (its
//   "unsent-long" notice of `syncNotices`).

package dk.gadeplan.app.logic

import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.Language
import dk.gadeplan.core.Store
import dk.gadeplan.core.SyncAdvice
import dk.gadeplan.core.SyncReport
import dk.gadeplan.core.SyncStatus
import dk.gadeplan.core.Transport
import dk.gadeplan.core.errorText
import dk.gadeplan.core.syncAdvice
import dk.gadeplan.core.syncNotices
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
            if (!outcome.notify) unsentTooLong(store, outcome.problem)
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
        if (e is GadeplanException.Unreachable) {
            // The transport's problem codes: the shell's own (the core knows no TLS).
            return when (ProblemCodes.problemOf(detail)) {
                SyncProblem.TLS -> stop(SyncProblem.TLS)
                SyncProblem.HTTP_NOT_ALLOWED -> stop(SyncProblem.HTTP_NOT_ALLOWED)
                SyncProblem.HOST_NOT_FOUND -> retry(SyncProblem.HOST_NOT_FOUND)
                SyncProblem.TIMEOUT -> retry(SyncProblem.TIMEOUT)
                else -> retry(SyncProblem.OFFLINE)
            }
        }
        // Anything not the core's (the key store not answering, a fault): tried again, and told.
        if (e !is GadeplanException) return retry(SyncProblem.STORAGE, notify = true)
        val problem = problemOf(e)
        return when (val advice = syncAdvice(e.javaClass.simpleName, detail)) {
            is SyncAdvice.Retry -> Outcome(SyncResult.Retry(problem), detail, advice.tell)
            is SyncAdvice.Stop -> Outcome(SyncResult.Stop(problem), detail, advice.tell)
        }
    }

    /** The banner's and the log's name for a core error (what to do is the core's advice). */
    private fun problemOf(e: GadeplanException): SyncProblem = when (e) {
        is GadeplanException.CentreRefused, is GadeplanException.ClockWrong -> SyncProblem.CENTRE_REFUSED
        is GadeplanException.Revoked -> SyncProblem.REVOKED
        is GadeplanException.StoreTooNew -> SyncProblem.STORE_TOO_NEW
        is GadeplanException.NotEnrolled -> SyncProblem.NOT_ENROLLED
        is GadeplanException.WrongKey -> SyncProblem.KEY_LOST
        is GadeplanException.Unreachable -> SyncProblem.OFFLINE
        else -> SyncProblem.STORAGE
    }

    private fun unsentTooLong(store: Store, problem: SyncProblem) {
        val status = quietly { store.syncStatus() } ?: return
        val text = unsentLongText(status, language) ?: return
        quietly { notifier.trouble(problem, text) }
    }

    private fun overdue(store: Store) {
        val alerts = store.alerts().filter { it.notify }
        if (alerts.isEmpty()) return
        val text = alertsText(alerts, language)
        notifier.overdueCheckins(alerts, text)
    }

    private fun revokedText() = errorText("Revoked", "", language)

    private fun keyLostText() = problemText(SyncProblem.KEY_LOST, language)

    private inline fun <T> quietly(block: () -> T): T? = try {
        block()
    } catch (e: Throwable) {
        null
    }
}

/** The core's "unsent-long" notice in the worker's language, when the status says so; else null. */
fun unsentLongText(status: SyncStatus, language: Language): String? {
    if (!status.unsentTooLong) return null
    val notice = syncNotices(status).firstOrNull { it.code == "unsent-long" } ?: return null
    return words(language, notice.da, notice.en)
}
