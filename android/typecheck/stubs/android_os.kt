// A stand-in for `android.os` (the Android SDK (android.jar)) with only the signatures the app
// calls: NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles
// every file of android/app/src/main/java against these stand-ins and the core's generated
// bindings, which proves that the app's code agrees with the core's generated API and with itself;
// it does not prove that it agrees with the Android SDK (android.jar): only a Gradle build does
// that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package android.os
class Build { object VERSION { val SDK_INT: Int = 35 }
    object VERSION_CODES { const val O = 26; const val P = 28; const val R = 30; const val TIRAMISU = 33 }
    companion object { val MODEL: String? = null } }
class Bundle { fun getString(k: String): String? = null }
class LocaleList { fun toLanguageTags(): String = ""; companion object { fun getDefault(): LocaleList = LocaleList() } }
