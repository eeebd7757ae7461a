// The pre-screening (A25–A27, A32): each criterion and burden area met, not met or not known yet
// (screening is gradual); what they indicate, computed by the core, shown at once; the worker's
// decision, with the reason asked for (and sent) only while the decision departs from the
// indicated one, and for a citizen outside the target group how they were helped on (guided,
// referred, handed over) and to whom. Answers are kept as codes across rotation and process death.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.core.BurdenArea
import dk.gadeplan.core.Criterion
import dk.gadeplan.core.Decision
import dk.gadeplan.core.ReferralKind
import dk.gadeplan.core.ScreeningInput
import dk.gadeplan.core.assessScreening

@Composable
fun ScreeningScreen(person: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "screening-$person") { StoreModel<Unit>(app, null) }
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    val defs = Words.instruments.screening
    // Each criterion's and area's answer by its code ("met", "not-met"); absent is not known yet.
    var criteria by rememberAnswers()
    var burden by rememberAnswers()
    var decision by rememberSaveable { mutableStateOf<String?>(null) }
    var reason by rememberSaveable { mutableStateOf("") }
    var referralKind by rememberSaveable { mutableStateOf<String?>(null) }
    var referredTo by rememberSaveable { mutableStateOf("") }

    fun criteriaWith(answer: String) = criteria.filterValues { it == answer }.keys.mapNotNull { enumOf<Criterion>(it) }
    fun burdenWith(answer: String) = burden.filterValues { it == answer }.keys.mapNotNull { enumOf<BurdenArea>(it) }
    val assessed = remember(criteria, burden) {
        runCatching { assessScreening(criteriaWith("met"), criteriaWith("not-met"), burdenWith("met"), burdenWith("not-met")) }.getOrNull()
    }
    val chosen = enumOf<Decision>(decision)
    val departs = chosen != null && assessed != null && chosen != assessed.indicatedDecision
    val outside = chosen == Decision.OUTSIDE

    Screen(title = defs.name.text(), onBack = go::back) {
        Form {
            defs.criteria.forEach { label ->
                if (enumOf<Criterion>(label.code) == null) return@forEach
                Text(label.text(), style = MaterialTheme.typography.titleSmall)
                Choices(defs.answers, criteria[label.code] ?: "unknown") { answer ->
                    criteria = if (answer == "unknown") criteria - label.code else criteria + (label.code to answer)
                }
            }
            Section(defs.complexBurden.text())
            defs.burdenAreas.forEach { label ->
                if (enumOf<BurdenArea>(label.code) == null) return@forEach
                Text(label.text(), style = MaterialTheme.typography.titleSmall)
                Choices(defs.answers, burden[label.code] ?: "unknown") { answer ->
                    burden = if (answer == "unknown") burden - label.code else burden + (label.code to answer)
                }
            }
            if (assessed != null) {
                Text(
                    ui("Peger på: ", "Indicates: ") + assessed.indicatedDecision.labelIn(defs.decisions) +
                        if (assessed.unknownCount > 0u) ui(" (${assessed.unknownCount} ikke afklaret)", " (${assessed.unknownCount} not known)") else "",
                    style = MaterialTheme.typography.titleMedium,
                    modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite },
                )
            }
            Section(ui("Beslutning", "Decision"))
            Choices(defs.decisions, decision) { decision = it }
            if (departs) {
                OutlinedTextField(
                    reason, { reason = it },
                    label = { Text(ui("Begrundelse (faglig vurdering)", "Reason (professional assessment)")) },
                    isError = reason.isBlank(),
                    modifier = Modifier.fillMaxWidth(),
                )
            }
            if (outside) {
                Section(ui("Hjælp videre", "Helped on"))
                Choices(defs.referralKinds, referralKind) { referralKind = it }
                OutlinedTextField(referredTo, { referredTo = it }, label = { Text(ui("Til hvem/hvilket tilbud", "To whom/which service")) }, modifier = Modifier.fillMaxWidth())
            }
            ErrorLine(error)
            BigButton(ui("Gem", "Save"), enabled = chosen != null && (!departs || reason.isNotBlank()), saving = saving) {
                val picked = chosen ?: return@BigButton
                val input = ScreeningInput(
                    person = person,
                    criteria = criteriaWith("met"),
                    highBurden = burdenWith("met"),
                    decision = picked,
                    // Only what is on the screen is sent (A32).
                    reason = reason.trim().ifEmpty { null }?.takeIf { departs },
                    referralKind = enumOf<ReferralKind>(referralKind)?.takeIf { outside },
                    referredTo = referredTo.trim().ifEmpty { null }?.takeIf { outside },
                    occurredAt = null,
                    criteriaNotMet = criteriaWith("not-met"),
                    burdenNotHigh = burdenWith("not-met"),
                )
                model.save({ store -> store.recordScreening(input) }) { go.back() }
            }
        }
    }
}
