// The main screen of an enrolled phone: the sync banner on top (M7), then one of four tabs —
// the persons, what to do next (the core's order), today's log, and the rest (check-in,
// incident, unknown citizens, places, settings and sign-out). Asks once per process, after the
// app lock is passed, for the notification permission (Android 13+) that sync trouble and
// overdue check-ins need (M6).

package dk.gadeplan.app.ui

import android.Manifest
import android.os.Build
import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.DateRange
import androidx.compose.material.icons.filled.List
import androidx.compose.material.icons.filled.Menu
import androidx.compose.material.icons.filled.Person
import androidx.compose.material3.Icon
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.compose.runtime.mutableIntStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.vector.ImageVector
import dk.gadeplan.app.logic.Route

private data class Tab(val title: String, val icon: ImageVector)

@Composable
fun HomeScreen(main: Route.Main, go: Go) {
    val app = gadeplanApp()
    var tab by rememberSaveable { mutableIntStateOf(0) }
    val tabs = listOf(
        Tab(ui("Personer", "Persons"), Icons.Filled.Person),
        Tab(ui("Næste", "Next"), Icons.Filled.List),
        Tab(ui("I dag", "Today"), Icons.Filled.DateRange),
        Tab(ui("Mere", "More"), Icons.Filled.Menu),
    )
    val ask = rememberLauncherForActivityResult(ActivityResultContracts.RequestPermission()) { }
    // Once per process, and only once the app lock is passed: the home screen is composed under
    // the lock at a cold start, and the permission dialog must not race the biometric prompt;
    // nor ask again each time the worker comes back to this screen.
    val locked by app.locked.collectAsStateWithLifecycle()
    LaunchedEffect(locked) {
        if (!locked && !app.askedForNotifications && Build.VERSION.SDK_INT >= Build.VERSION_CODES.TIRAMISU && !app.notifier.allowed()) {
            app.askedForNotifications = true
            ask.launch(Manifest.permission.POST_NOTIFICATIONS)
        }
    }
    Screen(
        title = "${tabs[tab].title} · ${main.team}",
        bottomBar = {
            NavigationBar {
                tabs.forEachIndexed { i, t ->
                    NavigationBarItem(
                        selected = tab == i,
                        onClick = { tab = i },
                        icon = { Icon(t.icon, contentDescription = null) },
                        label = { Text(t.title) },
                    )
                }
            }
        },
    ) {
        Column(Modifier.fillMaxSize()) {
            SyncBannerView()
            Box(Modifier.weight(1f)) {
                when (tab) {
                    0 -> PersonsList(go)
                    1 -> NextStepsList(go)
                    2 -> TodayList(go)
                    else -> MoreList(go)
                }
            }
        }
    }
}
