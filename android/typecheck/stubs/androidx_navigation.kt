// A stand-in for `androidx.navigation` (AndroidX navigation) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with AndroidX navigation: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.navigation
import android.os.Bundle
class NavDestination { val route: String? get() = null }
class NavBackStackEntry { val arguments: Bundle? get() = null; val destination: NavDestination get() = TODO() }
class NavOptionsBuilder
open class NavHostController {
    fun navigate(route: String) {}
    fun navigate(route: String, builder: NavOptionsBuilder.() -> Unit) {}
    fun popBackStack(): Boolean = true
    val currentBackStackEntry: NavBackStackEntry? get() = null
    val previousBackStackEntry: NavBackStackEntry? get() = null
}
class NamedNavArgument
class NavArgumentBuilder { var defaultValue: Any? = null }
fun navArgument(name: String, builder: NavArgumentBuilder.() -> Unit): NamedNavArgument = TODO()
class NavGraphBuilder
