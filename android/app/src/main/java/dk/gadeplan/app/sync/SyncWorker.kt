// Sync in the background with WorkManager: the adapter of logic/SyncPolicy (which requests,
// when, with which policy, and what a run's result means) and logic/SyncCoordinator (the run).
// This file only turns SyncPolicy's requests into WorkManager's (unique names, KEEP, a network
// constraint, 30 s exponential back-off) and its RunAnswer into a Result.
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
import dk.gadeplan.app.logic.Route
import dk.gadeplan.app.logic.RunAnswer
import dk.gadeplan.app.logic.SyncEvent
import dk.gadeplan.app.logic.SyncPolicy
import dk.gadeplan.app.logic.SyncRequest
import dk.gadeplan.app.logic.SyncResult
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.withContext

class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result = withContext(Dispatchers.IO) {
        val app = applicationContext as GadeplanApp
        val outcome = app.coordinator().syncOnce()
        if (outcome is SyncResult.Done) app.changed()
        when (SyncScheduler.policy.after(outcome, app.phone.unsent() ?: 0L, runAttemptCount)) {
            RunAnswer.SUCCESS -> Result.success()
            RunAnswer.RETRY -> Result.retry()
            RunAnswer.FAILURE_AND_ROUTE -> {
                app.refreshRoute()
                app.changed()
                Result.failure()
            }
        }
    }
}

object SyncScheduler {
    val policy = SyncPolicy()
    private val online = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()

    /** What `event` asks for, on the phone's `route`, enqueued or cancelled. */
    fun on(context: Context, event: SyncEvent, route: Route?) {
        val work = WorkManager.getInstance(context)
        policy.on(event, route).forEach { request ->
            when (request) {
                is SyncRequest.Periodic -> work.enqueueUniquePeriodicWork(
                    request.name, ExistingPeriodicWorkPolicy.KEEP,
                    PeriodicWorkRequestBuilder<SyncWorker>(request.minutes, TimeUnit.MINUTES)
                        .setConstraints(online)
                        .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
                        .build(),
                )
                is SyncRequest.Once -> work.enqueueUniqueWork(
                    request.name, ExistingWorkPolicy.KEEP,
                    OneTimeWorkRequestBuilder<SyncWorker>()
                        .setConstraints(online)
                        .setInitialDelay(request.delaySeconds, TimeUnit.SECONDS)
                        .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
                        .build(),
                )
                is SyncRequest.Cancel -> work.cancelUniqueWork(request.name)
            }
        }
    }

    /** Whether "Synk nu" is waiting or running: the button's feedback (M7). */
    fun nowRunning(context: Context): Flow<Boolean> =
        WorkManager.getInstance(context).getWorkInfosForUniqueWorkFlow(SyncPolicy.NOW).map { infos ->
            infos.any { it.state == WorkInfo.State.ENQUEUED || it.state == WorkInfo.State.RUNNING }
        }
}
