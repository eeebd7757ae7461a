// A stand-in for `android.view` (the Android SDK (android.jar)) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with the Android SDK (android.jar): only a Gradle build does
// that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package android.view
class Window { fun setFlags(a: Int, b: Int) {} }
class WindowManager { class LayoutParams { companion object { const val FLAG_SECURE = 8192 } } }
