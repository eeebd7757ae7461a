// A stand-in for `androidx.activity.compose` (AndroidX activity-compose) with only the signatures
// the app calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh
// compiles every file of android/app/src/main/java against these stand-ins and the core's
// generated bindings, which proves that the app's code agrees with the core's generated API and
// with itself; it does not prove that it agrees with AndroidX activity-compose: only a Gradle
// build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.activity.compose
import androidx.activity.ComponentActivity
import androidx.activity.result.contract.ActivityResultContract
import androidx.compose.runtime.Composable
fun ComponentActivity.setContent(content: @Composable () -> Unit) {}
@Composable fun BackHandler(enabled: Boolean = true, onBack: () -> Unit) {}
class ManagedActivityResultLauncher<I, O> { fun launch(input: I) {} }
@Composable fun <I, O> rememberLauncherForActivityResult(contract: ActivityResultContract<I, O>, onResult: (O) -> Unit): ManagedActivityResultLauncher<I, O> = TODO()
