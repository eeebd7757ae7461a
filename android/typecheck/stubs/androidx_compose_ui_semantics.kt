// A stand-in for `androidx.compose.ui.semantics` (Compose ui) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with Compose ui: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.compose.ui.semantics
import androidx.compose.ui.Modifier
class Role private constructor() { companion object { val Button = Role(); val Switch = Role() } }
enum class LiveRegionMode { Polite, Assertive }
interface SemanticsPropertyReceiver
fun Modifier.semantics(mergeDescendants: Boolean = false, properties: SemanticsPropertyReceiver.() -> Unit): Modifier = this
var SemanticsPropertyReceiver.contentDescription: String
    get() = ""
    set(v) {}
var SemanticsPropertyReceiver.liveRegion: LiveRegionMode
    get() = LiveRegionMode.Polite
    set(v) {}
fun SemanticsPropertyReceiver.heading() {}
fun androidx.compose.ui.Modifier.clearAndSetSemantics(properties: SemanticsPropertyReceiver.() -> Unit): androidx.compose.ui.Modifier = this
