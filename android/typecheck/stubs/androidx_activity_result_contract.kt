// A stand-in for `androidx.activity.result.contract` (AndroidX activity) with only the signatures
// the app calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh
// compiles every file of android/app/src/main/java against these stand-ins and the core's
// generated bindings, which proves that the app's code agrees with the core's generated API and
// with itself; it does not prove that it agrees with AndroidX activity: only a Gradle build does
// that.

@file:Suppress("unused")
package androidx.activity.result.contract
abstract class ActivityResultContract<I, O>
class ActivityResultContracts { class RequestPermission : ActivityResultContract<String, Boolean>() }
