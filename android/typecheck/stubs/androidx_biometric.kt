// A stand-in for `androidx.biometric` (AndroidX biometric) with only the signatures the app calls:
// NOT the real library, and never part of the app's build. bindings/kotlin-test.sh compiles every
// file of android/app/src/main/java against these stand-ins and the core's generated bindings,
// which proves that the app's code agrees with the core's generated API and with itself; it does
// not prove that it agrees with AndroidX biometric: only a Gradle build does that.

@file:Suppress("unused", "UNUSED_PARAMETER")
package androidx.biometric
import androidx.fragment.app.FragmentActivity
import java.util.concurrent.Executor
class BiometricManager {
    fun canAuthenticate(authenticators: Int): Int = 0
    object Authenticators { const val BIOMETRIC_STRONG = 15; const val BIOMETRIC_WEAK = 255; const val DEVICE_CREDENTIAL = 32768 }
    companion object { fun from(c: android.content.Context): BiometricManager = BiometricManager()
        const val BIOMETRIC_SUCCESS = 0; const val BIOMETRIC_ERROR_NONE_ENROLLED = 11; const val BIOMETRIC_ERROR_NO_HARDWARE = 12 }
}
class BiometricPrompt(activity: FragmentActivity, executor: Executor, callback: AuthenticationCallback) {
    class AuthenticationResult
    abstract class AuthenticationCallback { open fun onAuthenticationSucceeded(result: AuthenticationResult) {}
        open fun onAuthenticationError(errorCode: Int, errString: CharSequence) {} }
    class PromptInfo { class Builder { fun setTitle(t: CharSequence): Builder = this; fun setSubtitle(t: CharSequence?): Builder = this
        fun setAllowedAuthenticators(a: Int): Builder = this; fun build(): PromptInfo = PromptInfo() } }
    fun authenticate(info: PromptInfo) {}
    companion object { const val ERROR_NO_DEVICE_CREDENTIAL = 14 }
}
