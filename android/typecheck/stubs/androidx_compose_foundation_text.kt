// A stand-in for `androidx.compose.foundation.text` (Compose foundation) with only the signatures
// the app calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh
// compiles every file of android/app/src/main/java against these stand-ins and the core's
// generated bindings, which proves that the app's code agrees with the core's generated API and
// with itself; it does not prove that it agrees with Compose foundation: only a Gradle build does
// that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.compose.foundation.text
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardCapitalization
import androidx.compose.ui.text.input.KeyboardType
class KeyboardOptions(
    val capitalization: KeyboardCapitalization = KeyboardCapitalization.Unspecified,
    val autoCorrectEnabled: Boolean? = null,
    val keyboardType: KeyboardType = KeyboardType.Unspecified,
    val imeAction: ImeAction = ImeAction.Default,
)
interface KeyboardActionScope
class KeyboardActions(val onDone: (KeyboardActionScope.() -> Unit)? = null, val onGo: (KeyboardActionScope.() -> Unit)? = null, val onSearch: (KeyboardActionScope.() -> Unit)? = null)
