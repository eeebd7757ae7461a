// One journal entry as a row (A21, A22, A33): its title, what it says (logic/Contents, from the
// typed content, never the JSON), when in the phone's time zone, who; "ikke sendt" for a record
// the centre has not yet, "afvist af centret" in red for one refused for good, corrected and
// voided marks. Tapping it opens the corrections (amend, void).

package dk.gadeplan.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.text.style.TextDecoration
import androidx.compose.ui.unit.dp
import dk.gadeplan.app.logic.Contents
import dk.gadeplan.app.logic.Times
import dk.gadeplan.core.SyncState
import dk.gadeplan.core.TimelineItem

@Composable
fun TimelineRow(item: TimelineItem, open: (() -> Unit)?) {
    val decoration = if (item.voidedBy != null) TextDecoration.LineThrough else null
    val base = Modifier.fillMaxWidth().heightIn(min = 56.dp)
    Column((if (open != null) base.clickable(role = Role.Button, onClick = open) else base).padding(horizontal = 16.dp, vertical = 8.dp)) {
        Text(item.title.text(), style = MaterialTheme.typography.titleSmall, textDecoration = decoration)
        Contents.line(item.content, Words.language)?.let { Text(it, textDecoration = decoration) }
        Text("${Times.local(item.occurredAt)} · ${item.authorWorker}", style = MaterialTheme.typography.bodySmall)
        when (item.syncState) {
            SyncState.PENDING -> Text(ui("Ikke sendt endnu", "Not sent yet"), style = MaterialTheme.typography.labelMedium, color = MaterialTheme.colorScheme.secondary)
            SyncState.REJECTED -> Text(
                ui("Afvist af centret – kun på denne telefon", "Refused by the centre – on this phone only"),
                style = MaterialTheme.typography.labelMedium,
                color = MaterialTheme.colorScheme.error,
            )
            SyncState.SYNCED -> {}
        }
        if (item.amendedBy.isNotEmpty()) Text(ui("Rettet", "Corrected"), style = MaterialTheme.typography.labelMedium)
        item.voidReason?.let { Text(ui("Annulleret: ", "Voided: ") + it, style = MaterialTheme.typography.labelMedium) }
    }
}
