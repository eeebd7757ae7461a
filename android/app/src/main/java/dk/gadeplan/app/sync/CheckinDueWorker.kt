// The worker's own check-in notified at its due time, offline too (M6, audit P4): WorkManager's
// side of logic/CheckinReminders, which decides when and what. One unique one-time work per
// check-in, with an initial delay up to its due time and no network constraint; REPLACE on an
// extension (the later time wins), cancelled when the check-in ends.
//
// Why WorkManager and not AlarmManager: an exact alarm needs SCHEDULE_EXACT_ALARM (granted by the
// user in settings on Android 14+) or USE_EXACT_ALARM (Play allows it only for alarm and calendar
// apps); an inexact alarm is no more punctual than WorkManager and is lost at a reboot, which
// WorkManager survives (it reschedules its work itself). The cost: in Doze the work may run in
// the next maintenance window, minutes late; the watcher's escalation at the centre does not
// depend on this notification, and the app's screen shows the due time.

package dk.gadeplan.app.sync

import android.content.Context
import androidx.work.CoroutineWorker
import androidx.work.ExistingWorkPolicy
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.app.logic.CheckinReminders
import dk.gadeplan.app.logic.DueReminder
import dk.gadeplan.core.CheckinView
import java.time.Instant
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

class CheckinDueWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result = withContext(Dispatchers.IO) {
        val app = applicationContext as GadeplanApp
        val checkin = inputData.getString(CHECKIN) ?: return@withContext Result.success()
        val store = app.phone.store() ?: return@withContext Result.success()
        try {
            val me = store.identity().worker
            when (val fired = CheckinReminders.fired(checkin, store.checkins(), store.alerts(), me, Instant.now(), app.language)) {
                is CheckinReminders.Fired.Tell -> {
                    app.notifier.overdueCheckins(fired.alerts, fired.text)
                    fired.next?.let { CheckinDue.schedule(app, it) }
                }
                is CheckinReminders.Fired.Later -> CheckinDue.schedule(app, fired.reminder)
                CheckinReminders.Fired.Nothing -> {}
            }
            Result.success()
        } catch (e: Exception) {
            Result.retry() // the store busy or the key store not answering: a little later
        }
    }

    companion object {
        const val CHECKIN = "checkin"
    }
}

object CheckinDue {
    /** A check-in started or extended: its reminder at the (new) due time. */
    fun started(context: Context, checkin: CheckinView) = schedule(context, CheckinReminders.at(checkin, Instant.now()))

    fun schedule(context: Context, reminder: DueReminder) {
        val request = OneTimeWorkRequestBuilder<CheckinDueWorker>()
            .setInitialDelay(reminder.delayMillis, TimeUnit.MILLISECONDS)
            .setInputData(workDataOf(CheckinDueWorker.CHECKIN to reminder.checkin))
            .build()
        WorkManager.getInstance(context).enqueueUniqueWork(reminder.name, ExistingWorkPolicy.REPLACE, request)
    }

    /** A check-in ended: no reminder. */
    fun ended(context: Context, checkin: String) {
        WorkManager.getInstance(context).cancelUniqueWork(CheckinReminders.name(checkin))
    }
}
