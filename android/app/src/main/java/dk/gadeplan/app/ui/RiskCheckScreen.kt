// The Brøset check before an approach: six large toggles; the score, band and required action
// shown at once as the core scores them; the plan field required (and Save held back) when high.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateListOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.core.BrosetItem
import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.RiskCheckInput
import dk.gadeplan.core.Subject

/** `person` null: an unknown citizen, described in a few words. Calls `done(checkId, subject)`. */
@Composable
fun RiskCheckScreen(app: GadeplanApp, person: String?, done: (String, String) -> Unit) {
    val store = app.store() ?: return
    val items = Labels.instruments.broset.items
    val observed = remember { mutableStateListOf<BrosetItem>() }
    var plan by remember { mutableStateOf("") }
    var unknown by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    val score = bandOf(observed)
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text(Labels.text(Labels.instruments.broset.name), style = MaterialTheme.typography.titleLarge)
        if (person == null) {
            OutlinedTextField(unknown, { unknown = it }, label = { Text(Labels.ui("Beskriv borgeren", "Describe the citizen")) }, modifier = Modifier.fillMaxWidth())
        }
        items.forEachIndexed { i, item ->
            val code = BrosetItem.values()[i]
            BigToggle(Labels.text(item), Labels.definition(item), code in observed) { on -> if (on) observed.add(code) else observed.remove(code) }
        }
        val band = Labels.instruments.broset.bands.first { it.band == score.band }
        Text("${score.score} – ${Labels.text(band.label)}", style = MaterialTheme.typography.headlineSmall)
        Text(Labels.text(band.action))
        if (score.planRequired) {
            OutlinedTextField(plan, { plan = it }, label = { Text(Labels.ui("Plan for at undgå vold", "Plan for avoiding violence")) }, modifier = Modifier.fillMaxWidth())
        }
        ErrorLine(error)
        Button(enabled = !score.planRequired || plan.isNotBlank(), onClick = {
            try {
                val subject = if (person != null) Subject.Person(person) else Subject.Unknown(unknown)
                val r = store.recordRiskCheck(RiskCheckInput(subject, observed.toList(), plan.ifBlank { null }, null))
                done(r.id, r.subject)
            } catch (e: GadeplanException) {
                error = e.message
            }
        }) { Text(Labels.ui("Gem", "Save")) }
    }
}
