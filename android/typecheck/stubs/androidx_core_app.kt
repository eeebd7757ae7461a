// A stand-in for `androidx.core.app` (AndroidX core) with only the signatures the app calls: NOT
// the real library, and never part of the app's build. bindings/kotlin-test.sh compiles every file
// of android/app/src/main/java against these stand-ins and the core's generated bindings, which
// proves that the app's code agrees with the core's generated API and with itself; it does not
// prove that it agrees with AndroidX core: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.core.app
import android.app.Notification
import android.app.PendingIntent
import android.content.Context
class NotificationCompat {
    class Builder(c: Context, channel: String) {
        fun setSmallIcon(i: Int): Builder = this; fun setContentTitle(t: CharSequence?): Builder = this; fun setContentText(t: CharSequence?): Builder = this
        fun setStyle(s: Style?): Builder = this; fun setPriority(p: Int): Builder = this; fun setCategory(c: String?): Builder = this
        fun setVisibility(v: Int): Builder = this; fun setContentIntent(i: PendingIntent?): Builder = this; fun setAutoCancel(b: Boolean): Builder = this
        fun build(): Notification = Notification()
    }
    abstract class Style
    class BigTextStyle : Style() { fun bigText(t: CharSequence?): BigTextStyle = this }
    companion object { const val PRIORITY_HIGH = 1; const val PRIORITY_DEFAULT = 0; const val CATEGORY_ALARM = "alarm"; const val CATEGORY_STATUS = "status"; const val VISIBILITY_PRIVATE = 0 }
}
class NotificationManagerCompat { fun areNotificationsEnabled(): Boolean = true; fun cancel(id: Int) {}; fun cancelAll() {}
    fun notify(id: Int, n: Notification) {}
    companion object { fun from(c: Context): NotificationManagerCompat = NotificationManagerCompat() } }
