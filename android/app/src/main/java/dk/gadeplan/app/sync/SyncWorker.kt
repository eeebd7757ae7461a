// Sync in the background with WorkManager. The coordinator (logic/SyncCoordinator) does the run:
// one at a time in the process (a second request returns Busy at once), the outcome logged, the
// worker notified; this file only maps its result onto WorkManager (A15–A17):
// - Done: success; lists reload. If records are still waiting (made during the run), one more
//   run follows, whatever this one pushed.
// - Retry (offline, timeout…): WorkManager's back-off.
// - Stop (revoked, refused, key lost, not enrolled…): no retry of this request; the route is
//   worked out again and decides the rest: a revoked, unenrolled or key-lost phone has all its
//   work cancelled (and shows its screen); a phone the centre refuses for now (over quota, a
//   protocol the centre no longer speaks) stays enrolled and keeps its 15-minute sync, since
//   the centre's operator can lift the refusal, and the worker has been notified.
// - Busy: another run is on it.
//
// Three requests, three unique names, each with one policy:
// - periodic, every 15 minutes on a network (KEEP);
// - "Synk nu" (KEEP: a tap while one waits or runs adds nothing);
// - "soon": after each record and when the app goes to the background, debounced (KEEP with a
//   short delay: records made meanwhile are pushed by the run already waiting).
// None is expedited (A15): expedited work needs getForegroundInfo() and a foreground-service
// notification on Android 8–11, for a run that takes seconds; a plain one-time request with a
// network constraint starts at once while the app is in front, which is when "Synk nu" is tapped.
// Two runs at the same time cannot double-push: the core holds a lock per store file and the
// coordinator a try-lock per process (A16).

package dk.gadeplan.app.sync

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkInfo
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.app.logic.SyncResult
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.withContext

class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result = withContext(Dispatchers.IO) {
        val app = applicationContext as GadeplanApp
        when (val outcome = app.coordinator().syncOnce()) {
            is SyncResult.Done -> {
                app.changed()
                // Recorded while the run was under way: one more run, a little later (at most
                // three). Whether this run pushed anything does not matter: a record made while a
                // run that had nothing to push was under way found that run's unique work RUNNING,
                // so its own "soon" request was dropped (KEEP), and would otherwise wait for the
                // periodic sync.
                val left = app.phone.unsent() ?: 0L
                if (left > 0L && runAttemptCount < 3) Result.retry() else Result.success()
            }
            is SyncResult.Retry -> Result.retry()
            is SyncResult.Stop -> {
                app.refreshRoute()
                app.changed()
                Result.failure()
            }
            SyncResult.Busy -> Result.success()
        }
    }
}

object SyncScheduler {
    private const val PERIODIC = "gadeplan-sync"
    private const val NOW = "gadeplan-sync-now"
    private const val SOON = "gadeplan-sync-soon"
    private val online = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()

    fun schedulePeriodic(context: Context) {
        val request = PeriodicWorkRequestBuilder<SyncWorker>(15, TimeUnit.MINUTES)
            .setConstraints(online)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
            .build()
        WorkManager.getInstance(context).enqueueUniquePeriodicWork(PERIODIC, ExistingPeriodicWorkPolicy.KEEP, request)
    }

    /** "Synk nu": at once when there is a network; a second tap while it waits or runs adds nothing. */
    fun syncNow(context: Context) {
        val request = OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(online)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(NOW, ExistingWorkPolicy.KEEP, request)
    }

    /** After a record, or leaving the app: one run shortly, however many records are made meanwhile. */
    fun soon(context: Context, delaySeconds: Long = 20) {
        val request = OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(online)
            .setInitialDelay(delaySeconds, TimeUnit.SECONDS)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(SOON, ExistingWorkPolicy.KEEP, request)
    }

    /** Whether "Synk nu" is waiting or running: the button's feedback (M7). */
    fun nowRunning(context: Context): Flow<Boolean> =
        WorkManager.getInstance(context).getWorkInfosForUniqueWorkFlow(NOW).map { infos ->
            infos.any { it.state == WorkInfo.State.ENQUEUED || it.state == WorkInfo.State.RUNNING }
        }

    fun cancelPeriodic(context: Context) {
        WorkManager.getInstance(context).cancelUniqueWork(PERIODIC)
    }

    /** Sign-out, a wipe, a revocation: no sync of any kind is left (M4). */
    fun cancelAll(context: Context) {
        val work = WorkManager.getInstance(context)
        work.cancelUniqueWork(PERIODIC)
        work.cancelUniqueWork(NOW)
        work.cancelUniqueWork(SOON)
    }
}
