// The sync scheduling policy (audit P8): periodic work kept while the phone is on Route.Main and
// cancelled (with the rest) on every other route and on a wipe; a debounced run after a record,
// one at once on leaving the app and on "Synk nu", none of them off Route.Main; and what a run's
// result answers WorkManager (one more run while records made during it wait, at most three).

package dk.gadeplan.app.logic

import kotlin.test.Test
import kotlin.test.assertEquals

class SyncPolicyTest {
    private val policy = SyncPolicy()
    private val main = Route.Main("Mette", "Vesterbro", "https://centre.example.dk")
    private val cancelAll = listOf(
        SyncRequest.Cancel(SyncPolicy.PERIODIC), SyncRequest.Cancel(SyncPolicy.NOW), SyncRequest.Cancel(SyncPolicy.SOON),
    )

    @Test
    fun whatIsAskedForWhen() {
        assertEquals(listOf(SyncRequest.Periodic(SyncPolicy.PERIODIC, 15)), policy.on(SyncEvent.Routed(main), main))
        for (other in listOf(Route.Revoked("lost"), Route.KeyLost("gone"), Route.Enrol(true), Route.Broken("x"))) {
            assertEquals(cancelAll, policy.on(SyncEvent.Routed(other), other), other.toString())
            assertEquals(emptyList(), policy.on(SyncEvent.Recorded, other))
            assertEquals(emptyList(), policy.on(SyncEvent.SyncNow, other))
            assertEquals(emptyList(), policy.on(SyncEvent.LeftApp, other))
        }
        assertEquals(listOf(SyncRequest.Once(SyncPolicy.SOON, 20)), policy.on(SyncEvent.Recorded, main), "debounced")
        assertEquals(listOf(SyncRequest.Once(SyncPolicy.SOON, 0)), policy.on(SyncEvent.LeftApp, main))
        assertEquals(listOf(SyncRequest.Once(SyncPolicy.NOW, 0)), policy.on(SyncEvent.SyncNow, main))
        assertEquals(emptyList(), policy.on(SyncEvent.Recorded, null), "route not known yet")
        assertEquals(cancelAll, policy.on(SyncEvent.Wiped, main))
    }

    @Test
    fun whatARunAnswers() {
        assertEquals(RunAnswer.SUCCESS, policy.afterDone(0, 0))
        assertEquals(RunAnswer.RETRY, policy.afterDone(2, 0), "records made during the run: one more")
        assertEquals(RunAnswer.SUCCESS, policy.afterDone(2, 3), "at most three more")
        assertEquals(RunAnswer.RETRY, policy.after(SyncResult.Retry(SyncProblem.OFFLINE), 5, 9))
        assertEquals(RunAnswer.FAILURE_AND_ROUTE, policy.after(SyncResult.Stop(SyncProblem.REVOKED), 0, 0))
        assertEquals(RunAnswer.SUCCESS, policy.after(SyncResult.Busy, 5, 0))
    }
}
