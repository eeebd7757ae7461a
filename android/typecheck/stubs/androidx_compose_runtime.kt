// A stand-in for `androidx.compose.runtime` (Compose runtime) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with Compose runtime: only a Gradle build does that.
// `@Composable` here is a plain annotation: without the Compose compiler plugin nothing checks the
// composition rules (a composable called from a non-composable), which the type-check does not
// claim to.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.compose.runtime
import kotlin.reflect.KProperty
import kotlinx.coroutines.CoroutineScope
@Target(AnnotationTarget.FUNCTION, AnnotationTarget.TYPE, AnnotationTarget.TYPE_PARAMETER, AnnotationTarget.PROPERTY_GETTER)
annotation class Composable
interface State<out T> { val value: T }
interface MutableState<T> : State<T> { override var value: T }
interface MutableIntState : MutableState<Int>
fun <T> mutableStateOf(value: T): MutableState<T> = TODO()
fun mutableIntStateOf(value: Int): MutableIntState = TODO()
operator fun <T> State<T>.getValue(thisObj: Any?, property: KProperty<*>): T = value
operator fun <T> MutableState<T>.setValue(thisObj: Any?, property: KProperty<*>, value: T) {}
@Composable inline fun <T> remember(calculation: () -> T): T = calculation()
@Composable inline fun <T> remember(key1: Any?, calculation: () -> T): T = calculation()
@Composable inline fun <T> remember(key1: Any?, key2: Any?, calculation: () -> T): T = calculation()
fun <T> derivedStateOf(calculation: () -> T): State<T> = TODO()
@Composable fun LaunchedEffect(key1: Any?, block: suspend CoroutineScope.() -> Unit) {}
@Composable fun LaunchedEffect(key1: Any?, key2: Any?, block: suspend CoroutineScope.() -> Unit) {}
@Composable fun rememberCoroutineScope(): CoroutineScope = TODO()
