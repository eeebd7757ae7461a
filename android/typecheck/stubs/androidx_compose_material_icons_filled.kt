// A stand-in for `androidx.compose.material.icons.filled` (Compose material-icons) with only the
// signatures the app calls: NOT the real library, and never part of the app's build.
// bindings/kotlin-test.sh compiles every file of android/app/src/main/java against these stand-ins
// and the core's generated bindings, which proves that the app's code agrees with the core's
// generated API and with itself; it does not prove that it agrees with Compose material-icons:
// only a Gradle build does that.

@file:Suppress("unused")
package androidx.compose.material.icons.filled
import androidx.compose.material.icons.Icons
import androidx.compose.ui.graphics.vector.ImageVector
val Icons.Filled.Add: ImageVector get() = ImageVector()
val Icons.Filled.ArrowBack: ImageVector get() = ImageVector()
val Icons.Filled.Call: ImageVector get() = ImageVector()
val Icons.Filled.CheckCircle: ImageVector get() = ImageVector()
val Icons.Filled.DateRange: ImageVector get() = ImageVector()
val Icons.Filled.Info: ImageVector get() = ImageVector()
val Icons.Filled.List: ImageVector get() = ImageVector()
val Icons.Filled.Lock: ImageVector get() = ImageVector()
val Icons.Filled.Menu: ImageVector get() = ImageVector()
val Icons.Filled.Person: ImageVector get() = ImageVector()
val Icons.Filled.Search: ImageVector get() = ImageVector()
val Icons.Filled.Warning: ImageVector get() = ImageVector()
