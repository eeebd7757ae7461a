// The first screen: the persons list, most recently met first, each with their current risk band
// (only if checked within 24 hours), stage and screening decision. One call to the core.

package dk.gadeplan.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.AssistChip
import androidx.compose.material3.Button
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.app.sync.SyncScheduler
import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.NewPerson
import dk.gadeplan.core.PersonSummary
import dk.gadeplan.core.RiskBand
import dk.gadeplan.core.Label
import dk.gadeplan.core.scoreRisk
import dk.gadeplan.core.syncNotices

@Composable
fun PersonsScreen(app: GadeplanApp, open: (String) -> Unit, riskCheck: (String?) -> Unit, checkin: () -> Unit) {
    val store = app.store() ?: return
    var persons by remember { mutableStateOf<List<PersonSummary>>(emptyList()) }
    var alias by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    var notices by remember { mutableStateOf<List<Label>>(emptyList()) }
    fun reload() {
        persons = store.listPersons(100u, 0u)
        notices = syncNotices(store.syncStatus())
    }
    LaunchedEffect(Unit) { reload() }
    Column(Modifier.fillMaxSize().padding(12.dp)) {
        // What the worker must know first: a clock that is off, a full disk, refused records.
        notices.forEach { Text(Labels.text(it), color = MaterialTheme.colorScheme.error) }
        // A colleague's overdue check-in, or one's own about to fall due.
        AlertsPanel(app, checkin)
        Row {
            Button(onClick = { riskCheck(null) }) { Text(Labels.ui("Risikovurdering (ukendt)", "Risk check (unknown)")) }
            OutlinedButton(onClick = checkin, modifier = Modifier.padding(start = 8.dp)) { Text(Labels.ui("Tjek-ind", "Check-in")) }
            OutlinedButton(onClick = { SyncScheduler.syncNow(app) }, modifier = Modifier.padding(start = 8.dp)) { Text(Labels.ui("Synk nu", "Sync now")) }
        }
        Row(Modifier.fillMaxWidth()) {
            OutlinedTextField(alias, { alias = it }, label = { Text(Labels.ui("Nyt kaldenavn", "New nickname")) }, modifier = Modifier.weight(1f))
            Button(enabled = alias.isNotBlank(), onClick = {
                error = try {
                    store.addPerson(NewPerson(alias.trim(), null, null, null, null)); alias = ""; reload(); null
                } catch (e: GadeplanException) { e.message }
            }, modifier = Modifier.padding(start = 8.dp)) { Text("+") }
        }
        ErrorLine(error)
        LazyColumn {
            items(persons, key = { it.id }) { person ->
                Row(Modifier.fillMaxWidth().clickable { open(person.id) }.padding(vertical = 12.dp)) {
                    Column(Modifier.weight(1f)) {
                        Text(person.alias, style = MaterialTheme.typography.titleMedium)
                        val last = person.lastContactAt?.let { Times.local(it) } ?: Labels.ui("aldrig mødt", "never met")
                        Text(last, style = MaterialTheme.typography.bodySmall)
                    }
                    person.risk?.let { RiskChip(it) }
                }
                HorizontalDivider()
            }
        }
    }
}

@Composable
fun RiskChip(band: RiskBand) {
    val label = Labels.instruments.broset.bands.first { it.band == band }.label
    AssistChip(onClick = {}, label = { Text(Labels.text(label)) })
}

/** The band and action for the items ticked so far, straight from the core's scoring. */
fun bandOf(observed: List<dk.gadeplan.core.BrosetItem>) = scoreRisk(observed)
