// A stand-in for `android.app` (the Android SDK (android.jar)) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with the Android SDK (android.jar): only a Gradle build does
// that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package android.app
import android.content.Context
import android.content.Intent
open class Application : Context() { override val applicationContext: Context get() = this; open fun onCreate() {} }
class NotificationChannel(id: String, name: CharSequence, importance: Int) { var description: String? = null }
class NotificationManager { fun createNotificationChannel(c: NotificationChannel) {}
    companion object { const val IMPORTANCE_DEFAULT = 3; const val IMPORTANCE_HIGH = 4 } }
class PendingIntent { companion object { fun getActivity(c: Context, code: Int, i: Intent, flags: Int): PendingIntent = PendingIntent()
    const val FLAG_IMMUTABLE = 1; const val FLAG_UPDATE_CURRENT = 2 } }
class Notification
