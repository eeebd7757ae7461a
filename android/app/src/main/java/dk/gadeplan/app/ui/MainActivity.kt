// The one activity. It draws edge to edge (A7), keeps the screens out of screenshots and the
// recents thumbnail (M3: FLAG_SECURE, and no recents screenshot on Android 13+), takes the
// enrolment link a QR code or a browser opens (gadeplan://enrol?…, M1), and routes on the
// application's Route: a spinner while the key is unwrapped off the main thread, then
// enrolment, the app (behind the app lock, M2), or the screens for a revoked phone, a lost key
// or a store the app cannot open. A FragmentActivity because BiometricPrompt needs one.

package dk.gadeplan.app.ui

import android.content.Intent
import android.os.Build
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.compose.setContent
import androidx.activity.enableEdgeToEdge
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.clearAndSetSemantics
import androidx.fragment.app.FragmentActivity
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.app.logic.Route
import dk.gadeplan.app.platform.phoneLanguage
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow

class MainActivity : FragmentActivity() {
    private val link = MutableStateFlow<String?>(null)

    override fun onCreate(savedInstanceState: Bundle?) {
        enableEdgeToEdge()
        super.onCreate(savedInstanceState)
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU) setRecentsScreenshotEnabled(false)
        Words.language = phoneLanguage()
        link.value = enrolLinkIn(intent)
        val app = application as GadeplanApp
        setContent {
            GadeplanTheme { Root(app, this, link) }
        }
    }

    override fun onNewIntent(intent: Intent) {
        super.onNewIntent(intent)
        enrolLinkIn(intent)?.let { link.value = it }
    }

    override fun onResume() {
        super.onResume()
        Words.language = phoneLanguage()
    }

    private fun enrolLinkIn(intent: Intent?): String? =
        intent?.data?.takeIf { it.scheme == "gadeplan" }?.toString()
}

@Composable
private fun Root(app: GadeplanApp, activity: FragmentActivity, link: StateFlow<String?>) {
    val route by app.route.collectAsStateWithLifecycle()
    val locked by app.locked.collectAsStateWithLifecycle()
    val opened by link.collectAsStateWithLifecycle()
    when (val now = route) {
        null -> Spinner()
        is Route.Enrol -> EnrolScreen(opened, now.storeExists)
        // The app stays composed under the lock, so a half-filled form and the place in the app
        // survive it; while locked it is hidden from TalkBack and covered (the lock's Scaffold
        // is opaque and takes every touch).
        is Route.Main -> Box(Modifier.fillMaxSize()) {
            Box(if (locked) Modifier.fillMaxSize().clearAndSetSemantics { } else Modifier.fillMaxSize()) { AppNav(now) }
            if (locked) LockScreen(activity)
        }
        is Route.Revoked -> RevokedScreen(now.how)
        is Route.KeyLost -> KeyLostScreen(now.detail)
        is Route.Broken -> BrokenScreen(now.message)
    }
}
