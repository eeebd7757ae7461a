// A stand-in for `androidx.compose.foundation` (Compose foundation) with only the signatures the
// app calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh
// compiles every file of android/app/src/main/java against these stand-ins and the core's
// generated bindings, which proves that the app's code agrees with the core's generated API and
// with itself; it does not prove that it agrees with Compose foundation: only a Gradle build does
// that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.compose.foundation
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
fun Modifier.clickable(enabled: Boolean = true, onClickLabel: String? = null, role: Role? = null, onClick: () -> Unit): Modifier = this
@Composable fun isSystemInDarkTheme(): Boolean = false
class ScrollState
@Composable fun rememberScrollState(initial: Int = 0): ScrollState = ScrollState()
fun Modifier.verticalScroll(state: ScrollState, enabled: Boolean = true): Modifier = this
