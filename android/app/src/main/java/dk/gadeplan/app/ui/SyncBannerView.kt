// The sync status at the top of the main screen (M7, A12): offline, last synced, how many records
// are not sent and how many the centre refused, a phone not enrolled, and the core's own notices
// (a clock that is off, a full disk, history kept at the centre). The wording and level are
// logic/SyncBanner's (syncBanner); this draws it, coloured by level, announced politely by
// TalkBack, with "Synk nu" and its progress beside it.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.graphics.Color
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Banner
import dk.gadeplan.app.logic.syncBanner
import dk.gadeplan.app.sync.SyncScheduler
import dk.gadeplan.app.logic.SyncEvent
import dk.gadeplan.core.SyncStatus
import dk.gadeplan.core.syncNotices

@Composable
fun SyncBannerView() {
    val app = gadeplanApp()
    val model = viewModel(key = "sync-status") { StoreModel(app) { store -> store.syncStatus() } }
    val state by model.state.collectAsStateWithLifecycle()
    val last by app.syncLog.records.collectAsStateWithLifecycle()
    val online by app.connectivity.online.collectAsStateWithLifecycle()
    val running by remember { SyncScheduler.nowRunning(app) }.collectAsStateWithLifecycle(initialValue = false)
    // A sync that ends saves a record: read the counts again.
    LaunchedEffect(last) { model.reload() }
    val status: SyncStatus = state.valueOrNull() ?: return
    val banner = syncBanner(status, last, online, System.currentTimeMillis(), app.language)
    val (background, foreground) = levelColours(banner.level)
    Surface(color = background, contentColor = foreground, modifier = Modifier.fillMaxWidth()) {
        Column(Modifier.padding(horizontal = 16.dp, vertical = 8.dp)) {
            Row(verticalAlignment = Alignment.CenterVertically) {
                Text(
                    banner.text,
                    style = MaterialTheme.typography.bodyMedium,
                    modifier = Modifier.weight(1f).semantics { liveRegion = LiveRegionMode.Polite },
                )
                if (running) {
                    CircularProgressIndicator(Modifier.size(24.dp), strokeWidth = 2.dp, color = foreground)
                } else {
                    TextButton(
                        onClick = { SyncScheduler.on(app, SyncEvent.SyncNow, app.route.value) },
                        modifier = Modifier.heightIn(min = 56.dp), // a primary action: ≥ 56 dp (M11)
                    ) { Text(ui("Synk nu", "Sync now"), color = foreground) }
                }
            }
            if (running && !online) {
                Text(ui("Sendes, når der er forbindelse", "Will be sent when there is a connection"), style = MaterialTheme.typography.bodySmall)
            }
            syncNotices(status).forEach { notice ->
                Text(notice.text(), style = MaterialTheme.typography.bodySmall)
            }
        }
    }
}

@Composable
private fun levelColours(level: Banner.Level): Pair<Color, Color> = when (level) {
    Banner.Level.OK -> MaterialTheme.colorScheme.surfaceVariant to MaterialTheme.colorScheme.onSurfaceVariant
    Banner.Level.INFO -> MaterialTheme.colorScheme.secondaryContainer to MaterialTheme.colorScheme.onSecondaryContainer
    Banner.Level.WARNING -> Color(0xFFF2B705) to Color.Black
    Banner.Level.ERROR -> MaterialTheme.colorScheme.errorContainer to MaterialTheme.colorScheme.onErrorContainer
}
