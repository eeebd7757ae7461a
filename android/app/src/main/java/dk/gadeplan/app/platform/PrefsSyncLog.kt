// The last sync's outcome (A17, M7), kept in the app's private SharedPreferences so the banner
// and the notifications survive a restart: when it was tried, when it last worked, what went
// wrong. Nothing about citizens is kept here; the preferences are excluded from backups.

package dk.gadeplan.app.platform

import android.content.Context
import dk.gadeplan.app.logic.SyncLog
import dk.gadeplan.app.logic.SyncProblem
import dk.gadeplan.app.logic.SyncRecord
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow

class PrefsSyncLog(context: Context) : SyncLog {
    private val prefs = context.getSharedPreferences("gadeplan-sync", Context.MODE_PRIVATE)
    private val latest = MutableStateFlow(read())

    /** The last record, for the banner: updated whenever a sync saves one. */
    val records: StateFlow<SyncRecord?> = latest.asStateFlow()

    override fun save(record: SyncRecord) {
        prefs.edit()
            .putLong(ATTEMPT, record.attemptAt)
            .apply { if (record.successAt != null) putLong(SUCCESS, record.successAt) else remove(SUCCESS) }
            .putString(PROBLEM, record.problem?.name)
            .putString(DETAIL, record.detail)
            .apply()
        latest.value = record
    }

    override fun last(): SyncRecord? = latest.value

    fun clear() {
        prefs.edit().clear().apply()
        latest.value = null
    }

    private fun read(): SyncRecord? {
        if (!prefs.contains(ATTEMPT)) return null
        return SyncRecord(
            attemptAt = prefs.getLong(ATTEMPT, 0L),
            successAt = if (prefs.contains(SUCCESS)) prefs.getLong(SUCCESS, 0L) else null,
            problem = prefs.getString(PROBLEM, null)?.let { name -> SyncProblem.entries.firstOrNull { it.name == name } },
            detail = prefs.getString(DETAIL, null),
        )
    }

    private companion object {
        const val ATTEMPT = "attempt-at"
        const val SUCCESS = "success-at"
        const val PROBLEM = "problem"
        const val DETAIL = "detail"
    }
}
