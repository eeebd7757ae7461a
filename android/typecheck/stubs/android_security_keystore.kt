// A stand-in for `android.security.keystore` (the Android SDK (android.jar)) with only the
// signatures the app calls: NOT the real library, and never part of the app's build.
// bindings/kotlin-test.sh compiles every file of android/app/src/main/java against these stand-ins
// and the core's generated bindings, which proves that the app's code agrees with the core's
// generated API and with itself; it does not prove that it agrees with the Android SDK
// (android.jar): only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package android.security.keystore
class KeyGenParameterSpec : java.security.spec.AlgorithmParameterSpec {
    class Builder(alias: String, purposes: Int) {
        fun setBlockModes(vararg m: String): Builder = this
        fun setEncryptionPaddings(vararg p: String): Builder = this
        fun setKeySize(s: Int): Builder = this
        fun setRandomizedEncryptionRequired(b: Boolean): Builder = this
        fun setIsStrongBoxBacked(b: Boolean): Builder = this
        fun build(): KeyGenParameterSpec = KeyGenParameterSpec()
    }
}
class KeyProperties { companion object { const val PURPOSE_ENCRYPT = 1; const val PURPOSE_DECRYPT = 2; const val BLOCK_MODE_GCM = "GCM"
    const val ENCRYPTION_PADDING_NONE = "NoPadding"; const val KEY_ALGORITHM_AES = "AES" } }
