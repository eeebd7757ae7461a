// The pre-screening: the five criteria and five burden areas, each met, not met or not known yet
// (screening is gradual); what they indicate shown as the core computes it, nothing while one is
// not known; the worker's decision, with the reason required when it departs and the service
// referred to when outside.

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
import androidx.compose.runtime.mutableStateMapOf
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.core.BurdenArea
import dk.gadeplan.core.Criterion
import dk.gadeplan.core.Decision
import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.ScreeningInput
import dk.gadeplan.core.assessScreening

@Composable
fun ScreeningScreen(app: GadeplanApp, person: String, done: () -> Unit) {
    val store = app.store() ?: return
    val defs = Labels.instruments.screening
    // Each criterion's and area's answer by its code (met, not-met, unknown); none given is unknown.
    val criteria = remember { mutableStateMapOf<Criterion, String>() }
    val burden = remember { mutableStateMapOf<BurdenArea, String>() }
    fun <T> answered(answers: Map<T, String>, code: String) = answers.filterValues { it == code }.keys.toList()
    var decision by remember { mutableStateOf<String?>(null) }
    var reason by remember { mutableStateOf("") }
    var referredTo by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    val assessed = assessScreening(
        answered(criteria, "met"), answered(criteria, "not-met"),
        answered(burden, "met"), answered(burden, "not-met"),
    )
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text(Labels.text(defs.name), style = MaterialTheme.typography.titleLarge)
        defs.criteria.forEachIndexed { i, label ->
            val c = Criterion.values()[i]
            Text(Labels.text(label), style = MaterialTheme.typography.titleMedium)
            Choices(defs.answers, criteria[c] ?: "unknown") { criteria[c] = it }
        }
        Text(Labels.text(defs.complexBurden), style = MaterialTheme.typography.titleMedium)
        defs.burdenAreas.forEachIndexed { i, label ->
            val a = BurdenArea.values()[i]
            Text(Labels.text(label), style = MaterialTheme.typography.titleMedium)
            Choices(defs.answers, burden[a] ?: "unknown") { burden[a] = it }
        }
        Text(Labels.of(defs.decisions, assessed.indicatedDecision.name.lowercase()), style = MaterialTheme.typography.headlineSmall)
        Choices(defs.decisions, decision) { decision = it }
        val chosen = decision?.let { code -> Decision.values()[defs.decisions.indexOfFirst { it.code == code }] }
        if (chosen != null && chosen != assessed.indicatedDecision) {
            OutlinedTextField(reason, { reason = it }, label = { Text(Labels.ui("Begrundelse (faglig vurdering)", "Reason (professional assessment)")) }, modifier = Modifier.fillMaxWidth())
        }
        if (chosen == Decision.OUTSIDE) {
            OutlinedTextField(referredTo, { referredTo = it }, label = { Text(Labels.ui("Henvist til", "Referred to")) }, modifier = Modifier.fillMaxWidth())
        }
        ErrorLine(error)
        Button(enabled = chosen != null, onClick = {
            try {
                store.recordScreening(
                    ScreeningInput(
                        person = person,
                        criteria = answered(criteria, "met"),
                        criteriaNotMet = answered(criteria, "not-met"),
                        highBurden = answered(burden, "met"),
                        burdenNotHigh = answered(burden, "not-met"),
                        decision = chosen!!,
                        reason = reason.ifBlank { null },
                        referralKind = null,
                        referredTo = referredTo.ifBlank { null },
                        occurredAt = null,
                    ),
                )
                done()
            } catch (e: GadeplanException) {
                error = e.message
            }
        }) { Text(Labels.ui("Gem", "Save")) }
    }
}
