// A stand-in for `androidx.lifecycle` (AndroidX lifecycle) with only the signatures the app calls:
// NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles every
// file of android/app/src/main/java against these stand-ins and the core's generated bindings,
// which proves that the app's code agrees with the core's generated API and with itself; it does
// not prove that it agrees with AndroidX lifecycle: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.lifecycle
import kotlinx.coroutines.CoroutineScope
abstract class ViewModel
val ViewModel.viewModelScope: CoroutineScope get() = TODO()
interface LifecycleOwner { val lifecycle: Lifecycle }
interface LifecycleObserver
interface DefaultLifecycleObserver : LifecycleObserver { fun onStart(owner: LifecycleOwner) {}; fun onStop(owner: LifecycleOwner) {} }
abstract class Lifecycle { abstract fun addObserver(o: LifecycleObserver) }
class ProcessLifecycleOwner { companion object { fun get(): LifecycleOwner = TODO() } }
