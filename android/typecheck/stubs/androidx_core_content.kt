// A stand-in for `androidx.core.content` (AndroidX core) with only the signatures the app calls:
// NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles every
// file of android/app/src/main/java against these stand-ins and the core's generated bindings,
// which proves that the app's code agrees with the core's generated API and with itself; it does
// not prove that it agrees with AndroidX core: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.core.content
object ContextCompat { fun getMainExecutor(c: android.content.Context): java.util.concurrent.Executor = TODO()
    fun checkSelfPermission(c: android.content.Context, p: String): Int = 0 }
