// The Brøset check before an approach (A25–A27, A29, A30): six large toggles (the whole row is
// the target; each item's definition on demand behind an info button, so the list fits without
// scrolling); the score, band and required action in a bar at the bottom, coloured by band with
// its icon and announced by TalkBack as it changes; the plan required when the core says so; for
// a citizen not known by name, a short description required. The ticked items are kept as codes
// across rotation and process death. Saved once (a second tap does nothing while it saves),
// then on to the contact, linked to this check.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.Spacer
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.WindowInsets
import androidx.compose.foundation.layout.ime
import androidx.compose.foundation.layout.navigationBars
import androidx.compose.foundation.layout.union
import androidx.compose.foundation.layout.windowInsetsPadding
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.width
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Info
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.core.BrosetItem
import dk.gadeplan.core.RiskCheckInput
import dk.gadeplan.core.Subject
import dk.gadeplan.core.scoreRisk

/** `person` a known person, `unknown` an unknown citizen already recorded; neither: a new one. */
@Composable
fun RiskCheckScreen(person: String?, unknown: String?, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "risk-${person}-${unknown}") { StoreModel<Unit>(app, null) }
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    val broset = Words.instruments.broset
    var observed by rememberCodes()
    var plan by rememberSaveable { mutableStateOf("") }
    var description by rememberSaveable { mutableStateOf("") }
    var explained by rememberSaveable { mutableStateOf("") }
    val items = observed.mapNotNull { enumOf<BrosetItem>(it) }
    val score = remember(observed) { scoreRisk(items) }
    val band = broset.bands.firstOrNull { it.band == score.band }
    val newUnknown = person == null && unknown == null
    val ready = (!score.planRequired || plan.isNotBlank()) && (!newUnknown || description.isNotBlank())

    fun save() {
        val subject = when {
            person != null -> Subject.Person(person)
            unknown != null -> Subject.UnknownCitizen(unknown)
            else -> Subject.Unknown(description.trim())
        }
        model.save({ store -> store.recordRiskCheck(RiskCheckInput(subject = subject, observed = items, plan = plan.trim().ifEmpty { null }, occurredAt = null)) }) { recorded ->
            // A new unknown citizen is known by the check's subject from now on.
            val unknownId = if (person == null) (unknown ?: recorded.subject) else null
            go.contactAfterCheck(person, unknownId, recorded.id)
        }
    }

    Screen(
        title = broset.name.text(),
        onBack = go::back,
        bottomBar = {
            val (background, foreground) = bandColours(score.band)
            Surface(color = background, contentColor = foreground) {
                Column(Modifier.fillMaxWidth().windowInsetsPadding(WindowInsets.navigationBars.union(WindowInsets.ime)).padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                    Row(verticalAlignment = Alignment.CenterVertically, modifier = Modifier.semantics(mergeDescendants = true) { liveRegion = LiveRegionMode.Polite }) {
                        Icon(bandIcon(score.band), contentDescription = null)
                        Spacer(Modifier.width(8.dp))
                        Text("${score.score}/6 – ${band?.label?.text().orEmpty()}", style = MaterialTheme.typography.titleLarge)
                    }
                    Text(band?.action?.text() ?: score.action)
                    ErrorLine(error)
                    BigButton(ui("Gem og gå til kontakt", "Save and go to contact"), enabled = ready, saving = saving) { save() }
                }
            }
        },
    ) {
        Form {
            if (newUnknown) {
                OutlinedTextField(
                    description, { description = it },
                    label = { Text(ui("Beskriv borgeren (fx tøj, sted)", "Describe the citizen (e.g. clothes, place)")) },
                    isError = description.isBlank(),
                    modifier = Modifier.fillMaxWidth(),
                )
            }
            broset.items.forEach { item ->
                val code = item.code
                if (enumOf<BrosetItem>(code) == null) return@forEach // an item this app cannot record: not offered
                Row(verticalAlignment = Alignment.CenterVertically) {
                    Column(Modifier.weight(1f)) {
                        BigToggle(item.text(), if (explained == code) item.definition() else null, code in observed) { on ->
                            observed = if (on) observed + code else observed - code
                        }
                    }
                    IconButton(onClick = { explained = if (explained == code) "" else code }) {
                        Icon(Icons.Filled.Info, contentDescription = ui("Forklaring: ", "Definition: ") + item.text())
                    }
                }
            }
            if (score.planRequired) {
                OutlinedTextField(
                    plan, { plan = it },
                    label = { Text(ui("Plan for at undgå vold (påkrævet)", "Plan for avoiding violence (required)")) },
                    isError = plan.isBlank(),
                    minLines = 2,
                    modifier = Modifier.fillMaxWidth(),
                )
            }
        }
    }
}
