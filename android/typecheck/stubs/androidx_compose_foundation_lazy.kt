// A stand-in for `androidx.compose.foundation.lazy` (Compose foundation) with only the signatures
// the app calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh
// compiles every file of android/app/src/main/java against these stand-ins and the core's
// generated bindings, which proves that the app's code agrees with the core's generated API and
// with itself; it does not prove that it agrees with Compose foundation: only a Gradle build does
// that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.compose.foundation.lazy
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
interface LazyItemScope
interface LazyListScope { fun item(key: Any? = null, contentType: Any? = null, content: @Composable LazyItemScope.() -> Unit) }
inline fun <T> LazyListScope.items(items: List<T>, noinline key: ((item: T) -> Any)? = null, crossinline itemContent: @Composable LazyItemScope.(item: T) -> Unit) {}
class LazyListItemInfo(val index: Int)
class LazyListLayoutInfo(val visibleItemsInfo: List<LazyListItemInfo>, val totalItemsCount: Int)
class LazyListState { val layoutInfo: LazyListLayoutInfo get() = TODO() }
@Composable fun rememberLazyListState(): LazyListState = LazyListState()
@Composable fun LazyColumn(modifier: Modifier = Modifier, state: LazyListState = LazyListState(), content: LazyListScope.() -> Unit) {}
