// Sync in the background with WorkManager: periodically, and at once when the worker taps
// "sync now", each time only when a network is connected. A lost connection is retried with
// back-off; a revoked phone has already been erased by the core and stops trying.

package dk.gadeplan.app.sync

import android.content.Context
import androidx.work.BackoffPolicy
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.OutOfQuotaPolicy
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.core.GadeplanException
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result = withContext(Dispatchers.IO) {
        val store = (applicationContext as GadeplanApp).store() ?: return@withContext Result.success()
        val centre = store.syncStatus().centre ?: return@withContext Result.success()
        try {
            store.sync(HttpUrlConnectionTransport(centre))
            Result.success()
        } catch (e: GadeplanException.Unreachable) {
            Result.retry()
        } catch (e: GadeplanException.Revoked) {
            SyncScheduler.cancel(applicationContext)
            Result.success()
        } catch (e: GadeplanException) {
            Result.failure()
        }
    }
}

object SyncScheduler {
    private const val PERIODIC = "gadeplan-sync"
    private const val NOW = "gadeplan-sync-now"
    private val online = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()

    fun schedulePeriodic(context: Context) {
        val request = PeriodicWorkRequestBuilder<SyncWorker>(15, TimeUnit.MINUTES)
            .setConstraints(online)
            .setBackoffCriteria(BackoffPolicy.EXPONENTIAL, 30, TimeUnit.SECONDS)
            .build()
        WorkManager.getInstance(context).enqueueUniquePeriodicWork(PERIODIC, ExistingPeriodicWorkPolicy.KEEP, request)
    }

    fun syncNow(context: Context) {
        val request = OneTimeWorkRequestBuilder<SyncWorker>()
            .setConstraints(online)
            .setExpedited(OutOfQuotaPolicy.RUN_AS_NON_EXPEDITED_WORK_REQUEST)
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(NOW, ExistingWorkPolicy.REPLACE, request)
    }

    fun cancel(context: Context) {
        WorkManager.getInstance(context).cancelUniqueWork(PERIODIC)
    }
}
