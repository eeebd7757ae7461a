// A stand-in for `androidx.compose.runtime.saveable` (Compose runtime) with only the signatures
// the app calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh
// compiles every file of android/app/src/main/java against these stand-ins and the core's
// generated bindings, which proves that the app's code agrees with the core's generated API and
// with itself; it does not prove that it agrees with Compose runtime: only a Gradle build does
// that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.compose.runtime.saveable
import androidx.compose.runtime.Composable
@Composable fun <T : Any> rememberSaveable(vararg inputs: Any?, key: String? = null, init: () -> T): T = init()
@Composable fun <T : Any> rememberSaveable(vararg inputs: Any?, saver: Saver<T, out Any>, key: String? = null, init: () -> T): T = init()
interface Saver<Original, Saveable : Any>
fun <Original, Saveable : Any> Saver(save: SaverScope.(value: Original) -> Saveable?, restore: (value: Saveable) -> Original?): Saver<Original, Saveable> = TODO()
interface SaverScope { fun canBeSaved(value: Any): Boolean }
