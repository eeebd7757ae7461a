// The app lock's rule (review finding M2): the app starts locked (a cold start), and locks again
// when it comes back after longer in the background than the timeout; the platform's prompt
// (androidx.biometric with the device credential on the phone) calls unlocked(). It is the UI's
// lock only: the store's key stays usable for the background sync on a locked phone (ADR 0005).
// The clock is given, so the rule is tested without waiting. A clock that went backwards (the
// phone's time set back) locks too: the time away is then unknown.

package dk.gadeplan.app.logic

class AppLock(private val timeoutMillis: Long, private val clock: () -> Long) {
    private var away: Long? = null

    /** Whether the app's content must be hidden behind the prompt. Starts locked. */
    @Volatile
    var locked: Boolean = true
        private set

    /** The app went to the background (onStop). */
    @Synchronized
    fun backgrounded() {
        if (away == null) away = clock()
    }

    /** The app came back (onStart): locked when it was away longer than the timeout. */
    @Synchronized
    fun foregrounded() {
        val since = away ?: return
        away = null
        val elapsed = clock() - since
        if (elapsed > timeoutMillis || elapsed < 0) locked = true
    }

    /** The worker passed the platform's prompt. */
    @Synchronized
    fun unlocked() {
        locked = false
        away = null
    }
}
