// A stand-in for `dk.gadeplan.app` (the BuildConfig class the Android Gradle Plugin generates)
// with only the signatures the app calls: NOT the real library, and never part of the app's build.
// bindings/kotlin-test.sh compiles every file of android/app/src/main/java against these stand-ins
// and the core's generated bindings, which proves that the app's code agrees with the core's
// generated API and with itself; it does not prove that it agrees with the BuildConfig class the
// Android Gradle Plugin generates: only a Gradle build does that.

package dk.gadeplan.app
object BuildConfig { const val VERSION_NAME = "0.1.0" }
