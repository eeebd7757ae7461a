// The app lock (M2): on a cold start and after five minutes away (logic/AppLock decides), the
// worker proves it is them with a strong biometric or the phone's PIN/pattern/password
// (BIOMETRIC_STRONG or DEVICE_CREDENTIAL; on Android 9–10, where that pair is not supported,
// BIOMETRIC_WEAK or DEVICE_CREDENTIAL). A UI gate only: the store key stays usable for
// background sync on a locked phone (ADR 0005). A phone with no screen lock cannot be asked;
// the screen says so and lets the worker in.
//
// The prompt is made once per composition (after a rotation the new one takes over the
// library's callback, which lives in its retained ViewModel, so an answer given across the
// rotation still unlocks), and opened by itself once per lock: not again after a rotation, when
// the system's prompt is still up, and not in a loop after the worker cancelled it ("Lås op"
// opens it again).

package dk.gadeplan.app.ui

import android.os.Build
import androidx.activity.compose.BackHandler
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_STRONG
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_WEAK
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import androidx.biometric.BiometricPrompt
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Lock
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalFocusManager
import androidx.compose.ui.platform.LocalSoftwareKeyboardController
import androidx.compose.ui.unit.dp
import androidx.core.content.ContextCompat
import androidx.fragment.app.FragmentActivity

@Composable
fun LockScreen(activity: FragmentActivity) {
    val app = gadeplanApp()
    var error by remember { mutableStateOf<String?>(null) }
    var asked by rememberSaveable { mutableStateOf(false) }
    val allowed = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) BIOMETRIC_STRONG or DEVICE_CREDENTIAL else BIOMETRIC_WEAK or DEVICE_CREDENTIAL
    val prompt = remember(activity) {
        BiometricPrompt(activity, ContextCompat.getMainExecutor(activity), object : BiometricPrompt.AuthenticationCallback() {
            override fun onAuthenticationSucceeded(result: BiometricPrompt.AuthenticationResult) {
                app.unlocked()
            }

            override fun onAuthenticationError(errorCode: Int, errString: CharSequence) {
                // The screen lock was removed since the check below: as with no screen lock.
                if (errorCode == BiometricPrompt.ERROR_NO_DEVICE_CREDENTIAL) app.unlocked() else error = errString.toString()
            }
        })
    }

    fun ask() {
        error = null
        val can = BiometricManager.from(activity).canAuthenticate(allowed)
        if (can == BiometricManager.BIOMETRIC_ERROR_NONE_ENROLLED || can == BiometricManager.BIOMETRIC_ERROR_NO_HARDWARE) {
            // No screen lock on the phone: nothing to check against. The settings screen warns.
            app.unlocked()
            return
        }
        val info = BiometricPrompt.PromptInfo.Builder()
            .setTitle(ui("Lås Gadeplan op", "Unlock Gadeplan"))
            .setSubtitle(ui("Med fingeraftryk, ansigt eller telefonens kode", "With fingerprint, face or the phone's code"))
            .setAllowedAuthenticators(allowed)
            .build()
        prompt.authenticate(info)
    }

    // The app behind the lock keeps its place, but not the keyboard: a text field focused when the
    // app went away would keep the keyboard up over the lock, its suggestion strip showing the
    // form's words and every key typed going into the hidden field.
    val focus = LocalFocusManager.current
    val keyboard = LocalSoftwareKeyboardController.current
    // The system back must not reach the screens beneath (popping a form behind the lock loses
    // its draft): it leaves the app, as back from the home screen does.
    BackHandler { activity.moveTaskToBack(true) }
    LaunchedEffect(Unit) {
        focus.clearFocus(force = true)
        keyboard?.hide()
        if (!asked) {
            asked = true
            ask()
        }
    }
    Screen(title = "Gadeplan") {
        Column(
            Modifier.fillMaxSize().padding(24.dp),
            verticalArrangement = Arrangement.spacedBy(16.dp, Alignment.CenterVertically),
            horizontalAlignment = Alignment.CenterHorizontally,
        ) {
            Icon(Icons.Filled.Lock, contentDescription = null, modifier = Modifier.size(64.dp))
            Text(ui("Appen er låst", "The app is locked"), style = MaterialTheme.typography.headlineSmall)
            ErrorLine(error)
            BigButton(ui("Lås op", "Unlock")) { ask() }
        }
    }
}
