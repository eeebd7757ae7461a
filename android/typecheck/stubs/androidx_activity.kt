// A stand-in for `androidx.activity` (AndroidX activity) with only the signatures the app calls:
// NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles every
// file of android/app/src/main/java against these stand-ins and the core's generated bindings,
// which proves that the app's code agrees with the core's generated API and with itself; it does
// not prove that it agrees with AndroidX activity: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.activity
import android.content.Intent
import android.os.Bundle
import android.view.Window
open class ComponentActivity : android.content.Context() {
    override val applicationContext: android.content.Context get() = this
    val window: Window get() = TODO()
    val intent: Intent? get() = null
    val application: android.app.Application get() = TODO()
    open fun onCreate(savedInstanceState: Bundle?) {}
    open fun onNewIntent(intent: Intent) {}
    open fun onResume() {}
    fun setRecentsScreenshotEnabled(b: Boolean) {}
    fun moveTaskToBack(nonRoot: Boolean): Boolean = true
}
fun ComponentActivity.enableEdgeToEdge() {}
