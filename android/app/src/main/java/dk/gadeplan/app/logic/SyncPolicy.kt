// What sync work the phone asks for, and when (audit P8): the scheduling policy as plain Kotlin,
// tested on the JVM; sync/SyncWorker.kt (SyncScheduler) only turns each request into WorkManager's
// and the worker's result into its Result. Three unique requests, each with one policy:
// - periodic, every 15 minutes on a network, kept (KEEP) while the phone is enrolled and its
//   store opens (Route.Main); every other route (revoked, key lost, not enrolled, broken) and a
//   wipe cancel all three;
// - "soon": after a record, debounced (20 s, KEEP: records made meanwhile go with the run already
//   waiting), and on leaving the app (at once), only on Route.Main;
// - "Synk nu": at once, KEEP (a tap while one waits or runs adds nothing).
// After a run: Done succeeds, but one more run follows (a retry, at most three) while records
// made during it wait; Retry retries with back-off; Stop fails and the route is worked out again
// (which cancels the work when the phone is no longer Main); Busy succeeds (the other run is on it).

package dk.gadeplan.app.logic

/** What happened that may call for sync work. */
sealed interface SyncEvent {
    /** The route was worked out (start, enrolment, a revocation found, a new key…). */
    data class Routed(val route: Route) : SyncEvent
    data object Recorded : SyncEvent
    data object LeftApp : SyncEvent
    data object SyncNow : SyncEvent
    data object Wiped : SyncEvent
}

/** One piece of work asked of the scheduler. */
sealed interface SyncRequest {
    data class Periodic(val name: String, val minutes: Long) : SyncRequest
    /** A one-time run after `delaySeconds`, on a network; KEEP: an equal request waiting or running wins. */
    data class Once(val name: String, val delaySeconds: Long) : SyncRequest
    data class Cancel(val name: String) : SyncRequest
}

/** What the worker answers WorkManager after a run. */
enum class RunAnswer { SUCCESS, RETRY, FAILURE_AND_ROUTE }

class SyncPolicy(private val debounceSeconds: Long = 20, private val periodMinutes: Long = 15, private val moreRuns: Int = 3) {
    /** The requests for an event, given the route the phone is on now (null while unknown). */
    fun on(event: SyncEvent, route: Route?): List<SyncRequest> {
        val main = route is Route.Main
        return when (event) {
            is SyncEvent.Routed -> if (event.route is Route.Main) listOf(SyncRequest.Periodic(PERIODIC, periodMinutes)) else cancelAll()
            SyncEvent.Recorded -> if (main) listOf(SyncRequest.Once(SOON, debounceSeconds)) else emptyList()
            SyncEvent.LeftApp -> if (main) listOf(SyncRequest.Once(SOON, 0)) else emptyList()
            SyncEvent.SyncNow -> if (main) listOf(SyncRequest.Once(NOW, 0)) else emptyList()
            SyncEvent.Wiped -> cancelAll()
        }
    }

    /** The worker's answer after a run: `unsentLeft` own records still waiting, `attempt` the run's attempt count (0 first). */
    fun after(result: SyncResult, unsentLeft: Long, attempt: Int): RunAnswer = when (result) {
        is SyncResult.Done -> afterDone(unsentLeft, attempt)
        is SyncResult.Retry -> RunAnswer.RETRY
        is SyncResult.Stop -> RunAnswer.FAILURE_AND_ROUTE
        SyncResult.Busy -> RunAnswer.SUCCESS
    }

    /** After a run that got through: one more run (a retry) while records made during it wait, at most `moreRuns`. */
    fun afterDone(unsentLeft: Long, attempt: Int): RunAnswer =
        if (unsentLeft > 0L && attempt < moreRuns) RunAnswer.RETRY else RunAnswer.SUCCESS

    private fun cancelAll() = listOf(SyncRequest.Cancel(PERIODIC), SyncRequest.Cancel(NOW), SyncRequest.Cancel(SOON))

    companion object {
        const val PERIODIC = "gadeplan-sync"
        const val NOW = "gadeplan-sync-now"
        const val SOON = "gadeplan-sync-soon"
    }
}
