// A stand-in for `androidx.lifecycle.viewmodel.compose` (AndroidX lifecycle-viewmodel-compose)
// with only the signatures the app calls: NOT the real library, and never part of the app's build.
// bindings/kotlin-test.sh compiles every file of android/app/src/main/java against these stand-ins
// and the core's generated bindings, which proves that the app's code agrees with the core's
// generated API and with itself; it does not prove that it agrees with AndroidX lifecycle-
// viewmodel-compose: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.lifecycle.viewmodel.compose
import androidx.lifecycle.viewmodel.CreationExtras
import androidx.compose.runtime.Composable
import androidx.lifecycle.ViewModel
@Composable inline fun <reified VM : ViewModel> viewModel(key: String? = null, noinline initializer: CreationExtras.() -> VM): VM = TODO()
