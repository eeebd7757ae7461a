// Telling the worker when the app is not on screen (M6): sync trouble that will not go away by
// itself (a refused phone, a revocation, a store from a newer app, records unsent for hours), and
// overdue check-ins (the worker's own, or a colleague's: someone may be in danger). Two channels,
// so a worker can silence the sync one and never the check-in one. The words are the
// coordinator's (in the worker's language); this class only posts them, under titles and in
// channels named in the phone's language (phoneLanguage: the core's labelLanguage), the names
// set again at every start so that a phone switched to another language follows. Without the
// POST_NOTIFICATIONS grant (Android 13+) nothing is posted and the banner in the app still says it.

package dk.gadeplan.app.platform

import android.Manifest
import android.app.NotificationChannel
import android.app.NotificationManager
import android.app.PendingIntent
import android.content.Context
import android.content.Intent
import android.content.pm.PackageManager
import android.os.Build
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.core.content.ContextCompat
import dk.gadeplan.app.logic.SyncNotifier
import dk.gadeplan.app.logic.SyncProblem
import dk.gadeplan.app.ui.MainActivity
import dk.gadeplan.core.Alert
import dk.gadeplan.core.Language

class NotificationsNotifier(private val context: Context) : SyncNotifier {
    private fun say(da: String, en: String): String = if (phoneLanguage() == Language.DANISH) da else en

    init {
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O) {
            val manager = context.getSystemService(NotificationManager::class.java)
            manager.createNotificationChannel(
                NotificationChannel(SYNC_CHANNEL, say("Synkronisering", "Sync"), NotificationManager.IMPORTANCE_DEFAULT).apply {
                    description = say("Når optegnelser ikke kommer frem til centret", "When records do not reach the centre")
                },
            )
            manager.createNotificationChannel(
                NotificationChannel(CHECKIN_CHANNEL, say("Tjek-ind", "Check-in"), NotificationManager.IMPORTANCE_HIGH).apply {
                    description = say("Et tjek-ind der er overskredet", "A check-in that is overdue")
                },
            )
        }
    }

    /** Whether posting is allowed: the runtime grant on Android 13+, and not blocked in settings. */
    fun allowed(): Boolean {
        val granted = Build.VERSION.SDK_INT < Build.VERSION_CODES.TIRAMISU ||
            ContextCompat.checkSelfPermission(context, Manifest.permission.POST_NOTIFICATIONS) == PackageManager.PERMISSION_GRANTED
        return granted && NotificationManagerCompat.from(context).areNotificationsEnabled()
    }

    override fun trouble(problem: SyncProblem, text: String) = post(SYNC_ID, SYNC_CHANNEL, say("Gadeplan: synkronisering", "Gadeplan: sync"), text, high = false)

    override fun revoked(text: String) = post(SYNC_ID, SYNC_CHANNEL, "Gadeplan", text, high = true)

    override fun overdueCheckins(alerts: List<Alert>, text: String) {
        if (alerts.isEmpty()) NotificationManagerCompat.from(context).cancel(CHECKIN_ID)
        else post(CHECKIN_ID, CHECKIN_CHANNEL, say("Gadeplan: tjek-ind", "Gadeplan: check-in"), text, high = true)
    }

    override fun clear() {
        NotificationManagerCompat.from(context).cancel(SYNC_ID)
    }

    fun clearAll() {
        NotificationManagerCompat.from(context).cancelAll()
    }

    private fun post(id: Int, channel: String, title: String, text: String, high: Boolean) {
        if (!allowed()) return
        val open = PendingIntent.getActivity(
            context, id,
            Intent(context, MainActivity::class.java).addFlags(Intent.FLAG_ACTIVITY_SINGLE_TOP or Intent.FLAG_ACTIVITY_CLEAR_TOP),
            PendingIntent.FLAG_IMMUTABLE or PendingIntent.FLAG_UPDATE_CURRENT,
        )
        val notification = NotificationCompat.Builder(context, channel)
            .setSmallIcon(if (high) android.R.drawable.stat_sys_warning else android.R.drawable.stat_notify_sync_noanim)
            .setContentTitle(title)
            .setContentText(text)
            .setStyle(NotificationCompat.BigTextStyle().bigText(text))
            .setPriority(if (high) NotificationCompat.PRIORITY_HIGH else NotificationCompat.PRIORITY_DEFAULT)
            .setCategory(if (channel == CHECKIN_CHANNEL) NotificationCompat.CATEGORY_ALARM else NotificationCompat.CATEGORY_STATUS)
            // Locked screen: the words say nothing about a citizen, but keep them off it anyway.
            .setVisibility(NotificationCompat.VISIBILITY_PRIVATE)
            .setContentIntent(open)
            .setAutoCancel(true)
            .build()
        try {
            NotificationManagerCompat.from(context).notify(id, notification)
        } catch (e: SecurityException) {
            // The grant was withdrawn between the check and the post: the banner says it instead.
        }
    }

    private companion object {
        const val SYNC_CHANNEL = "sync"
        const val CHECKIN_CHANNEL = "checkins"
        const val SYNC_ID = 1
        const val CHECKIN_ID = 2
    }
}
