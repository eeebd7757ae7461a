// A person's timeline: every entry oldest first, corrections applied and marked, voided entries
// struck through, and any unsettled conflict over their details shown on top.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.style.TextDecoration
import androidx.compose.ui.unit.dp
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.core.SyncState

@Composable
fun TimelineScreen(app: GadeplanApp, id: String, riskCheck: () -> Unit, contact: () -> Unit, screening: () -> Unit) {
    val store = app.store() ?: return
    val detail = store.person(id)
    Column(Modifier.padding(12.dp)) {
        Text(detail.person.alias, style = MaterialTheme.typography.headlineSmall)
        detail.person.description?.let { Text(it) }
        detail.person.risk?.let { RiskChip(it) }
        detail.conflicts.forEach { conflict ->
            Text(
                Labels.ui("Uafklaret: ${conflict.attribute} har flere værdier", "Unsettled: ${conflict.attribute} has several values") +
                    " — " + conflict.values.joinToString(" / ") { Contents.value(it.typed) },
                color = MaterialTheme.colorScheme.error,
            )
        }
        Row {
            Button(onClick = riskCheck) { Text(Labels.ui("Risiko", "Risk")) }
            Button(onClick = contact, modifier = Modifier.padding(start = 6.dp)) { Text(Labels.ui("Kontakt", "Contact")) }
            Button(onClick = screening, modifier = Modifier.padding(start = 6.dp)) { Text(Labels.ui("Forscreening", "Screening")) }
        }
        LazyColumn {
            items(detail.timeline, key = { it.id }) { item ->
                Column(Modifier.padding(vertical = 8.dp)) {
                    val decoration = if (item.voidedBy != null) TextDecoration.LineThrough else null
                    Text(Labels.text(item.title), style = MaterialTheme.typography.titleSmall, textDecoration = decoration)
                    Contents.line(item.content)?.let { Text(it, textDecoration = decoration) }
                    Text("${Times.local(item.occurredAt)} · ${item.authorWorker}" +
                        if (item.syncState == SyncState.PENDING) " · " + Labels.ui("ikke synkroniseret", "not synced") else "")
                    if (item.amendedBy.isNotEmpty()) Text(Labels.ui("Rettet", "Corrected"), style = MaterialTheme.typography.bodySmall)
                    item.voidReason?.let { Text(Labels.ui("Annulleret: ", "Voided: ") + it, style = MaterialTheme.typography.bodySmall) }
                }
                HorizontalDivider()
            }
        }
    }
}
