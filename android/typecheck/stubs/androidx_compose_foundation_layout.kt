// A stand-in for `androidx.compose.foundation.layout` (Compose foundation) with only the
// signatures the app calls: NOT the real library, and never part of the app's build.
// bindings/kotlin-test.sh compiles every file of android/app/src/main/java against these stand-ins
// and the core's generated bindings, which proves that the app's code agrees with the core's
// generated API and with itself; it does not prove that it agrees with Compose foundation: only a
// Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.compose.foundation.layout
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.Dp
object Arrangement {
    interface Horizontal; interface Vertical; interface HorizontalOrVertical : Horizontal, Vertical
    val Top: Vertical = TODO(); val Start: Horizontal = TODO()
    fun spacedBy(space: Dp): HorizontalOrVertical = TODO()
    fun spacedBy(space: Dp, alignment: Alignment.Vertical): Vertical = TODO()
    fun spacedBy(space: Dp, alignment: Alignment.Horizontal): Horizontal = TODO()
}
interface BoxScope { fun Modifier.align(alignment: Alignment): Modifier = this }
interface ColumnScope { fun Modifier.weight(weight: Float, fill: Boolean = true): Modifier = this }
interface RowScope { fun Modifier.weight(weight: Float, fill: Boolean = true): Modifier = this }
interface FlowRowScope : RowScope
@RequiresOptIn annotation class ExperimentalLayoutApi
@Composable fun Box(modifier: Modifier = Modifier, contentAlignment: Alignment = Alignment.Center, content: @Composable BoxScope.() -> Unit) {}
@Composable fun Column(modifier: Modifier = Modifier, verticalArrangement: Arrangement.Vertical = Arrangement.Top, horizontalAlignment: Alignment.Horizontal = Alignment.CenterHorizontally, content: @Composable ColumnScope.() -> Unit) {}
@Composable fun Row(modifier: Modifier = Modifier, horizontalArrangement: Arrangement.Horizontal = Arrangement.Start, verticalAlignment: Alignment.Vertical = Alignment.CenterVertically, content: @Composable RowScope.() -> Unit) {}
@ExperimentalLayoutApi @Composable fun FlowRow(modifier: Modifier = Modifier, horizontalArrangement: Arrangement.Horizontal = Arrangement.Start, verticalArrangement: Arrangement.Vertical = Arrangement.Top, maxItemsInEachRow: Int = Int.MAX_VALUE, content: @Composable FlowRowScope.() -> Unit) {}
class PaddingValues
fun PaddingValues(all: Dp): PaddingValues = PaddingValues()
@Composable fun Spacer(modifier: Modifier) {}
class WindowInsets { companion object }
// Both are @Composable getters in the real library: read only in composition.
val WindowInsets.Companion.ime: WindowInsets @Composable get() = WindowInsets()
val WindowInsets.Companion.navigationBars: WindowInsets @Composable get() = WindowInsets()
val WindowInsets.Companion.safeDrawing: WindowInsets @Composable get() = WindowInsets()
fun WindowInsets.union(insets: WindowInsets): WindowInsets = this
fun Modifier.windowInsetsPadding(insets: WindowInsets): Modifier = this
fun Modifier.consumeWindowInsets(paddingValues: PaddingValues): Modifier = this
fun Modifier.fillMaxSize(fraction: Float = 1f): Modifier = this
fun Modifier.fillMaxWidth(fraction: Float = 1f): Modifier = this
fun Modifier.heightIn(min: Dp = Dp(0f), max: Dp = Dp(0f)): Modifier = this
fun Modifier.imePadding(): Modifier = this
fun Modifier.padding(all: Dp): Modifier = this
fun Modifier.padding(horizontal: Dp = Dp(0f), vertical: Dp = Dp(0f)): Modifier = this
fun Modifier.padding(start: Dp = Dp(0f), top: Dp = Dp(0f), end: Dp = Dp(0f), bottom: Dp = Dp(0f)): Modifier = this
fun Modifier.padding(paddingValues: PaddingValues): Modifier = this
fun Modifier.size(size: Dp): Modifier = this
fun Modifier.width(width: Dp): Modifier = this
