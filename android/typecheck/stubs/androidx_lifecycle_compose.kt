// A stand-in for `androidx.lifecycle.compose` (AndroidX lifecycle-runtime-compose) with only the
// signatures the app calls: NOT the real library, and never part of the app's build.
// bindings/kotlin-test.sh compiles every file of android/app/src/main/java against these stand-ins
// and the core's generated bindings, which proves that the app's code agrees with the core's
// generated API and with itself; it does not prove that it agrees with AndroidX lifecycle-runtime-
// compose: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.lifecycle.compose
import androidx.compose.runtime.Composable
import androidx.compose.runtime.State
import androidx.lifecycle.LifecycleOwner
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.StateFlow
@Composable fun <T> StateFlow<T>.collectAsStateWithLifecycle(): State<T> = TODO()
@Composable fun <T> Flow<T>.collectAsStateWithLifecycle(initialValue: T): State<T> = TODO()
interface LifecyclePauseOrDisposeEffectResult
class LifecycleResumePauseEffectScope { fun onPauseOrDispose(onPauseOrDisposeEffect: LifecycleOwner.() -> Unit): LifecyclePauseOrDisposeEffectResult = TODO() }
@Composable fun LifecycleResumeEffect(key1: Any?, effects: LifecycleResumePauseEffectScope.() -> LifecyclePauseOrDisposeEffectResult) {}
