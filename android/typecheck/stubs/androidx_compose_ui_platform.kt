// A stand-in for `androidx.compose.ui.platform` (Compose ui) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with Compose ui: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.compose.ui.platform
object LocalContext { val current: android.content.Context get() = TODO() }
// Really ProvidableCompositionLocal<FocusManager> / <SoftwareKeyboardController?>; `.current` is read in composition.
object LocalFocusManager { val current: androidx.compose.ui.focus.FocusManager get() = TODO() }
object LocalSoftwareKeyboardController { val current: SoftwareKeyboardController? get() = TODO() }
interface SoftwareKeyboardController { fun hide(); fun show() }
