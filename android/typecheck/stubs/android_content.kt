// A stand-in for `android.content` (the Android SDK (android.jar)) with only the signatures the
// app calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh
// compiles every file of android/app/src/main/java against these stand-ins and the core's
// generated bindings, which proves that the app's code agrees with the core's generated API and
// with itself; it does not prove that it agrees with the Android SDK (android.jar): only a Gradle
// build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package android.content
import android.net.Uri
abstract class Context {
    abstract val applicationContext: Context
    val packageName: String get() = ""
    fun <T> getSystemService(c: Class<T>): T = TODO()
    fun getSharedPreferences(name: String, mode: Int): SharedPreferences = TODO()
    fun startActivity(intent: Intent) {}
    val noBackupFilesDir: java.io.File get() = TODO()
    companion object { const val MODE_PRIVATE = 0 }
}
interface SharedPreferences {
    fun edit(): Editor
    fun getLong(k: String, d: Long): Long
    fun getString(k: String, d: String?): String?
    fun contains(k: String): Boolean
    interface Editor {
        fun putLong(k: String, v: Long): Editor
        fun putString(k: String, v: String?): Editor
        fun remove(k: String): Editor
        fun clear(): Editor
        fun apply()
    }
}
class Intent {
    constructor(action: String, uri: Uri)
    constructor(action: String)
    constructor(context: Context, c: Class<*>)
    val data: Uri? get() = null
    fun putExtra(k: String, v: String?): Intent = this
    fun addFlags(f: Int): Intent = this
    fun setType(t: String?): Intent = this
    fun putExtra(k: String, v: CharSequence?): Intent = this
    companion object {
        const val ACTION_SEND = "s"; const val EXTRA_TEXT = "t"; const val EXTRA_HTML_TEXT = "h"; const val EXTRA_SUBJECT = "j"
        fun createChooser(target: Intent, title: CharSequence?): Intent = target
        const val ACTION_SENDTO = "a"; const val ACTION_DIAL = "b"
        const val FLAG_ACTIVITY_SINGLE_TOP = 1; const val FLAG_ACTIVITY_CLEAR_TOP = 2
    }
}
class ActivityNotFoundException : RuntimeException()
