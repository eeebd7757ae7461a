// A stand-in for `androidx.compose.ui.text.style` (Compose ui) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with Compose ui: only a Gradle build does that.

package androidx.compose.ui.text.style
class TextOverflow private constructor() { companion object { val Clip = TextOverflow(); val Ellipsis = TextOverflow() } }
class TextDecoration private constructor() { companion object { val LineThrough = TextDecoration() } }
