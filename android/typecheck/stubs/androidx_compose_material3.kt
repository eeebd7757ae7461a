// A stand-in for `androidx.compose.material3` (Compose material3) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with Compose material3: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.compose.material3
import androidx.compose.foundation.layout.ColumnScope
import androidx.compose.foundation.layout.PaddingValues
import androidx.compose.foundation.layout.RowScope
import androidx.compose.foundation.layout.WindowInsets
import androidx.compose.ui.text.style.TextOverflow
import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.graphics.vector.ImageVector
import androidx.compose.ui.text.TextStyle
import androidx.compose.ui.text.input.VisualTransformation
import androidx.compose.ui.text.style.TextDecoration
import androidx.compose.ui.unit.Dp

@RequiresOptIn annotation class ExperimentalMaterial3Api
class ColorScheme(val primary: Color, val secondary: Color, val error: Color, val onSurface: Color, val surfaceVariant: Color,
    val onSurfaceVariant: Color, val secondaryContainer: Color, val onSecondaryContainer: Color, val errorContainer: Color, val onErrorContainer: Color)
class Typography(val headlineSmall: TextStyle, val titleLarge: TextStyle, val titleMedium: TextStyle, val titleSmall: TextStyle,
    val bodyLarge: TextStyle, val bodyMedium: TextStyle, val bodySmall: TextStyle, val labelLarge: TextStyle, val labelMedium: TextStyle)
interface Shape
val RectangleShape: Shape get() = TODO() // really androidx.compose.ui.graphics.RectangleShape
class Shapes(val small: Shape)
object MaterialTheme {
    val colorScheme: ColorScheme @Composable get() = TODO()
    val typography: Typography @Composable get() = TODO()
    val shapes: Shapes @Composable get() = TODO()
}
@Composable fun MaterialTheme(colorScheme: ColorScheme = TODO(), content: @Composable () -> Unit) {}
fun darkColorScheme(primary: Color = Color(0L), secondary: Color = Color(0L), error: Color = Color(0L)): ColorScheme = TODO()
fun lightColorScheme(primary: Color = Color(0L), secondary: Color = Color(0L), error: Color = Color(0L)): ColorScheme = TODO()
@Composable fun AlertDialog(onDismissRequest: () -> Unit, confirmButton: @Composable () -> Unit, modifier: Modifier = Modifier,
    dismissButton: @Composable (() -> Unit)? = null, icon: @Composable (() -> Unit)? = null, title: @Composable (() -> Unit)? = null, text: @Composable (() -> Unit)? = null) {}
@Composable fun Button(onClick: () -> Unit, modifier: Modifier = Modifier, enabled: Boolean = true, content: @Composable RowScope.() -> Unit) {}
@Composable fun OutlinedButton(onClick: () -> Unit, modifier: Modifier = Modifier, enabled: Boolean = true, content: @Composable RowScope.() -> Unit) {}
@Composable fun TextButton(onClick: () -> Unit, modifier: Modifier = Modifier, enabled: Boolean = true, content: @Composable RowScope.() -> Unit) {}
@Composable fun Card(modifier: Modifier = Modifier, content: @Composable ColumnScope.() -> Unit) {}
@Composable fun CircularProgressIndicator(modifier: Modifier = Modifier, color: Color = Color(0L), strokeWidth: Dp = Dp(4f)) {}
@Composable fun ExtendedFloatingActionButton(text: @Composable () -> Unit, icon: @Composable () -> Unit, onClick: () -> Unit, modifier: Modifier = Modifier, expanded: Boolean = true) {}
@Composable fun FilterChip(selected: Boolean, onClick: () -> Unit, label: @Composable () -> Unit, modifier: Modifier = Modifier, enabled: Boolean = true) {}
@Composable fun HorizontalDivider(modifier: Modifier = Modifier) {}
@Composable fun Icon(imageVector: ImageVector, contentDescription: String?, modifier: Modifier = Modifier, tint: Color = Color(0L)) {}
@Composable fun IconButton(onClick: () -> Unit, modifier: Modifier = Modifier, enabled: Boolean = true, content: @Composable () -> Unit) {}
@Composable fun NavigationBar(modifier: Modifier = Modifier, content: @Composable RowScope.() -> Unit) {}
@Composable fun RowScope.NavigationBarItem(selected: Boolean, onClick: () -> Unit, icon: @Composable () -> Unit, modifier: Modifier = Modifier, enabled: Boolean = true, label: @Composable (() -> Unit)? = null) {}
@Composable fun OutlinedTextField(value: String, onValueChange: (String) -> Unit, modifier: Modifier = Modifier, enabled: Boolean = true,
    label: @Composable (() -> Unit)? = null, leadingIcon: @Composable (() -> Unit)? = null, supportingText: @Composable (() -> Unit)? = null,
    isError: Boolean = false, visualTransformation: VisualTransformation = VisualTransformation.None, keyboardOptions: KeyboardOptions = KeyboardOptions(),
    keyboardActions: KeyboardActions = KeyboardActions(), singleLine: Boolean = false, minLines: Int = 1) {}
@Composable fun Scaffold(modifier: Modifier = Modifier, topBar: @Composable () -> Unit = {}, bottomBar: @Composable () -> Unit = {}, contentWindowInsets: WindowInsets = WindowInsets(), content: @Composable (PaddingValues) -> Unit) {}
@Composable fun Surface(modifier: Modifier = Modifier, shape: Shape = RectangleShape, color: Color = Color(0L), contentColor: Color = Color(0L), content: @Composable () -> Unit) {}
@Composable fun Switch(checked: Boolean, onCheckedChange: ((Boolean) -> Unit)?, modifier: Modifier = Modifier) {}
@Composable fun Text(text: String, modifier: Modifier = Modifier, color: Color = Color(0L), style: TextStyle = TextStyle(), textDecoration: TextDecoration? = null, overflow: TextOverflow = TextOverflow.Clip, maxLines: Int = Int.MAX_VALUE) {}
@ExperimentalMaterial3Api @Composable fun TopAppBar(title: @Composable () -> Unit, modifier: Modifier = Modifier, navigationIcon: @Composable () -> Unit = {}, actions: @Composable RowScope.() -> Unit = {}) {}
