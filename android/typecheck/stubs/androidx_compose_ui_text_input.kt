// A stand-in for `androidx.compose.ui.text.input` (Compose ui) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with Compose ui: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.compose.ui.text.input
class ImeAction private constructor() { companion object { val Default = ImeAction(); val Next = ImeAction(); val Done = ImeAction(); val Search = ImeAction() } }
class KeyboardCapitalization private constructor() { companion object { val Unspecified = KeyboardCapitalization(); val Words = KeyboardCapitalization(); val Characters = KeyboardCapitalization() } }
class KeyboardType private constructor() { companion object { val Unspecified = KeyboardType(); val Uri = KeyboardType(); val Ascii = KeyboardType(); val Number = KeyboardType(); val NumberPassword = KeyboardType(); val Phone = KeyboardType(); val Text = KeyboardType() } }
interface VisualTransformation { companion object { val None: VisualTransformation get() = TODO() } }
class PasswordVisualTransformation : VisualTransformation
