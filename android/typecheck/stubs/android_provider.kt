// A stand-in for `android.provider` (the Android SDK (android.jar)) with only the signatures the
// app calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh
// compiles every file of android/app/src/main/java against these stand-ins and the core's
// generated bindings, which proves that the app's code agrees with the core's generated API and
// with itself; it does not prove that it agrees with the Android SDK (android.jar): only a Gradle
// build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package android.provider
class Settings { companion object { const val ACTION_APP_NOTIFICATION_SETTINGS = "a"; const val EXTRA_APP_PACKAGE = "b"; const val ACTION_APPLICATION_DETAILS_SETTINGS = "c" } }
