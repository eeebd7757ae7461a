// The sync banner on the main screens (review finding M7): one line that says whether what the
// worker records reaches the centre, e.g. "Ikke sendt: 3 · Sidst synkroniseret 14:05",
// "Ingen forbindelse – optegnelser gemmes på telefonen", "Afvist af centret: 1". Made from the
// core's sync status, the last sync's record (SyncCoordinator) and whether the phone is online
// (the platform's network callback), in the project's own words; times in the phone's zone
// (Times). The level is the worst of its parts: ERROR asks the worker to act, WARNING says the
// records wait, INFO that they are on their way, OK that all is at the centre.

package dk.gadeplan.app.logic

import dk.gadeplan.core.Language
import dk.gadeplan.core.SyncStatus
import java.time.Instant
import java.time.ZoneId

data class Banner(val text: String, val level: Level) {
    enum class Level { OK, INFO, WARNING, ERROR }
}

/** Problems that retrying does not mend: the worker must act. */
private val stopping = setOf(
    SyncProblem.TLS, SyncProblem.HTTP_NOT_ALLOWED, SyncProblem.CENTRE_REFUSED, SyncProblem.REVOKED,
    SyncProblem.STORE_TOO_NEW, SyncProblem.STORAGE, SyncProblem.KEY_LOST,
)

fun syncBanner(
    status: SyncStatus,
    last: SyncRecord?,
    online: Boolean,
    now: Long,
    language: Language,
    zone: ZoneId = ZoneId.systemDefault(),
): Banner {
    if (!status.enrolled) return Banner(problemText(SyncProblem.NOT_ENROLLED, language), Banner.Level.ERROR)
    val parts = mutableListOf<String>()
    var level = Banner.Level.OK
    fun add(text: String, at: Banner.Level) {
        parts += text
        if (at > level) level = at
    }
    val problem = last?.problem
    when {
        !online -> add(words(language, "Ingen forbindelse – optegnelser gemmes på telefonen", "No connection – records are kept on the phone"), Banner.Level.WARNING)
        problem == SyncProblem.NOT_ENROLLED -> {}
        problem in stopping -> add(problemText(problem!!, language), Banner.Level.ERROR)
        // A connection problem of the last attempt while the phone is online: on its way again.
        problem != null -> add(problemText(problem, language), Banner.Level.WARNING)
    }
    if (status.storageFull) {
        add(words(language, "Telefonens lager er fuldt – frigør plads for at optegne", "The phone's storage is full – free some space to record"), Banner.Level.ERROR)
    }
    if (status.rejected > 0uL) add(words(language, "Afvist af centret: ${status.rejected}", "Refused by the centre: ${status.rejected}"), Banner.Level.ERROR)
    val successAt = last?.successAt
    if (status.pending > 0uL) {
        // A warning, not news, once the core says they waited too long (its "unsent-long").
        add(words(language, "Ikke sendt: ${status.pending}", "Not sent: ${status.pending}"), if (status.unsentTooLong) Banner.Level.WARNING else Banner.Level.INFO)
    } else if (parts.isEmpty()) {
        parts += words(language, "Alt er sendt", "Everything is sent")
    }
    parts += if (successAt != null) {
        val at = Times.sinceToday(Instant.ofEpochMilli(successAt), Instant.ofEpochMilli(now), zone)
        words(language, "Sidst synkroniseret $at", "Last synced $at")
    } else {
        words(language, "Endnu ikke synkroniseret", "Not synced yet")
    }
    return Banner(parts.joinToString(" · "), level)
}
