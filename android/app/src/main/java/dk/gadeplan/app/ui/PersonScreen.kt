// A person (A14, A33, M8, M10, issue 18's "whole model"): the current risk band or the warning
// that there is none; the course, its phase and the 14-day guarantee's countdown; the contact
// intensity (conversations in 14 and 30 days, and the core's class of them in its words); the
// crisis plan and the network's phone numbers one tap from a call (offline: all from the store);
// the questionnaires due; details two phones changed differently, each value with "Vælg værdi"
// (updatePerson); what to record next (contact, checks, course, plan, bridge-building, network,
// consents); sharing the plan document after a warning (SharePlan); "ikke sendt" with the count
// of this phone's own entries about the person the centre has not yet (notSent, M7); and the
// timeline, newest first, each entry open for correction. A person who no longer resolves
// (merged or voided elsewhere, or the phone was wiped) is an error on the screen with the way
// back, not a crash.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Call
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Contents
import dk.gadeplan.app.logic.Times
import dk.gadeplan.core.AttributeConflict
import dk.gadeplan.core.AttributeValue
import dk.gadeplan.core.GuaranteeState
import dk.gadeplan.core.PersonDetail
import dk.gadeplan.core.PersonUpdate

@Composable
fun PersonScreen(id: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "person-$id") { StoreModel(app) { store -> store.person(id) } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    val title = state.valueOrNull()?.person?.alias ?: ui("Person", "Person")
    Screen(title = title, onBack = go::back) {
        Loaded(state, retry = model::reload) { detail ->
            LazyColumn(Modifier.fillMaxSize()) {
                item { Summary(detail, go) }
                item { Actions(detail, go) }
                item { CrisisAndNetwork(detail) }
                item { androidx.compose.foundation.layout.Box(Modifier.padding(horizontal = 16.dp)) { SharePlan(detail, model, go) } }
                item { ErrorLine(error) }
                items(detail.conflicts) { conflict ->
                    ConflictCard(conflict, saving) { value ->
                        model.save({ store -> store.updatePerson(settle(id, conflict.attribute, value)) }) { }
                    }
                }
                item { Section(ui("Tidslinje", "Timeline")) }
                items(detail.timeline.asReversed(), key = { it.id }) { item ->
                    TimelineRow(item) { go.correct(item.id) }
                    HorizontalDivider()
                }
            }
        }
    }
}

@Composable
private fun Summary(detail: PersonDetail, go: Go) {
    val person = detail.person
    Column(Modifier.fillMaxWidth().padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
        person.description?.let { Text(it, style = MaterialTheme.typography.bodyLarge) }
        person.birthYear?.let { Text(ui("Født $it", "Born $it")) }
        val band = person.risk
        if (band != null) {
            RiskBadge(band)
            person.riskCheckedAt?.let { Text(ui("Vurderet ", "Checked ") + Times.local(it), style = MaterialTheme.typography.bodySmall) }
        } else {
            Text(ui("Ingen aktuel risikovurdering", "No current risk check"), color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.titleSmall)
        }
        person.stage?.let { Text(ui("Fase: ", "Stage: ") + it.codeLabel()) }
        person.screening?.let { Text(ui("Forscreening: ", "Screening: ") + it.labelIn(Words.instruments.screening.decisions)) }
        detail.courses.lastOrNull { it.closedAt == null }?.let { course ->
            Text(ui("Forløb: ", "Course: ") + course.phase.labelIn(Words.instruments.course.phases), style = MaterialTheme.typography.titleSmall)
            course.guarantee?.let { g ->
                // The guarantee's state and whether it runs out are the core's (Guarantee.state, runningOut).
                val text = when (g.state) {
                    GuaranteeState.BREACHED -> ui("Behandlingsgarantien er overskredet (${g.lastDay})", "Treatment guarantee breached (${g.lastDay})") +
                        (g.startedOn?.let { ui(", startet $it", ", started $it") } ?: "")
                    GuaranteeState.MET -> ui("Behandling startet ${g.startedOn ?: ""}", "Treatment started ${g.startedOn ?: ""}")
                    GuaranteeState.WAITING -> g.daysLeft?.let { ui("Behandlingsgaranti: $it dage tilbage (${g.lastDay})", "Treatment guarantee: $it days left (${g.lastDay})") }
                        ?: ui("Sidste dag for behandlingsstart: ${g.lastDay}", "Last day for treatment to start: ${g.lastDay}")
                }
                val urgent = g.state == GuaranteeState.BREACHED || g.runningOut
                Text(text, color = if (urgent) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface)
            }
        }
        val intensity = person.intensity
        Text(
            ui("Samtaler: ${intensity.conversations14Days} på 14 dage, ${intensity.conversations30Days} på 30 dage", "Conversations: ${intensity.conversations14Days} in 14 days, ${intensity.conversations30Days} in 30 days") +
                " · " + intensity.`class`.labelIn(Words.instruments.course.contactIntensities),
            style = MaterialTheme.typography.bodySmall,
        )
        person.questionnairesDue.forEach { due ->
            val name = Words.instruments.questionnaires.firstOrNull { it.instrument == due.instrument }?.name?.text() ?: due.instrument.name
            Text(ui("Spørgeskema mangler: ", "Questionnaire due: ") + "$name – " + due.label.text(), color = MaterialTheme.colorScheme.primary)
            SecondButton(ui("Udfyld ", "Fill in ") + name) {
                go.questionnaire(person.id, due.instrument.name, due.occasion.name)
            }
        }
        NotSentMark(person.notSent)
        if (detail.voided) Text(ui("Personen er annulleret", "This person is voided"), color = MaterialTheme.colorScheme.error)
    }
}

@OptIn(ExperimentalLayoutApi::class)
@Composable
private fun Actions(detail: PersonDetail, go: Go) {
    val id = detail.person.id
    Column(Modifier.padding(horizontal = 16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        BigButton(ui("Kontakt", "Contact")) { go.contact(id, null) }
        FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            val small = Modifier.heightIn(min = 56.dp)
            OutlinedButton(onClick = { go.riskCheck(id, null) }, modifier = small) { Text("Brøset") }
            OutlinedButton(onClick = { go.screening(id) }, modifier = small) { Text(ui("Forscreening", "Screening")) }
            OutlinedButton(onClick = { go.stage(id) }, modifier = small) { Text(ui("Forandringsfase", "Stage of change")) }
            OutlinedButton(onClick = { go.course(id) }, modifier = small) { Text(ui("Forløb", "Course")) }
            OutlinedButton(onClick = { go.plan(id) }, modifier = small) { Text(ui("Plan og kriseplan", "Plan and crisis plan")) }
            OutlinedButton(onClick = { go.treatment(id) }, modifier = small) { Text(ui("Brobygning", "Bridge-building")) }
            OutlinedButton(onClick = { go.network(id) }, modifier = small) { Text(ui("Netværk", "Network")) }
            OutlinedButton(onClick = { go.consents(id) }, modifier = small) { Text(ui("Samtykke", "Consent")) }
            OutlinedButton(onClick = { go.checkin(id) }, modifier = small) { Text(ui("Tjek-ind", "Check-in")) }
            OutlinedButton(onClick = { go.incident(id) }, modifier = small) { Text(ui("Hændelse", "Incident")) }
            OutlinedButton(onClick = { go.editPerson(id) }, modifier = small) { Text(ui("Ret oplysninger", "Edit details")) }
            OutlinedButton(onClick = { go.merge(id) }, modifier = small) { Text(ui("Flet med dublet", "Merge a duplicate")) }
        }
    }
}

/** The crisis plan and the network's numbers: what is needed in a crisis, offline, one tap away. */
@Composable
private fun CrisisAndNetwork(detail: PersonDetail) {
    val context = LocalContext.current
    val plan = detail.plan?.fields
    if (plan == null && detail.network.isEmpty()) return
    Card(Modifier.fillMaxWidth().padding(16.dp)) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            if (plan != null) {
                Text(ui("Mål: ", "Goal: ") + plan.goal, style = MaterialTheme.typography.bodyMedium)
                plan.crisisPlan?.let {
                    Text(ui("Kriseplan", "Crisis plan"), style = MaterialTheme.typography.titleMedium)
                    Text(it, style = MaterialTheme.typography.bodyLarge)
                }
                // The plan's partners, one tap from a call like the network (audit, part 4).
                plan.partners.forEach { partner ->
                    val phone = partner.phone
                    if (phone != null) {
                        Button(onClick = { dial(context, phone) }, modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp)) {
                            Icon(Icons.Filled.Call, contentDescription = null)
                            Text("  ${partner.name}: $phone")
                        }
                    } else {
                        Text(partner.name)
                    }
                }
            }
            detail.network.forEach { entry ->
                val member = entry.member
                val who = listOfNotNull(member.roleLabel.text(), member.name, member.organisation).joinToString(" · ")
                val phone = member.phone
                if (phone != null) {
                    Button(
                        onClick = { dial(context, phone) },
                        modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp),
                    ) {
                        Icon(Icons.Filled.Call, contentDescription = null)
                        Text("  $who: $phone")
                    }
                } else {
                    Text(who)
                }
            }
        }
    }
}

@Composable
private fun ConflictCard(conflict: AttributeConflict, saving: Boolean, choose: (AttributeValue) -> Unit) {
    Card(Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 6.dp)) {
        Column(Modifier.padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
            Text(
                ui("Uafklaret: ", "Unsettled: ") + conflict.label.text(),
                color = MaterialTheme.colorScheme.error,
                style = MaterialTheme.typography.titleSmall,
            )
            conflict.values.forEach { value ->
                Text("${Contents.value(value.typed, Words.language)} (${value.authorWorker})")
                if (settleable(conflict.attribute, value.typed)) {
                    SecondButton(ui("Vælg værdi: ", "Choose: ") + Contents.value(value.typed, Words.language), enabled = !saving) { choose(value.typed) }
                }
            }
        }
    }
}

private fun settleable(attribute: String, value: AttributeValue): Boolean = when (value) {
    is AttributeValue.Text -> attribute == "alias" || attribute == "description"
    is AttributeValue.Year -> attribute == "birth_year"
    is AttributeValue.Cleared -> attribute == "birth_year"
}

/** The update that makes `value` the person's `attribute`. */
private fun settle(person: String, attribute: String, value: AttributeValue): PersonUpdate = when (value) {
    is AttributeValue.Text -> PersonUpdate(
        person = person,
        alias = value.text.takeIf { attribute == "alias" },
        description = value.text.takeIf { attribute == "description" },
        birthYear = null,
        clearBirthYear = false,
    )
    is AttributeValue.Year -> PersonUpdate(person = person, alias = null, description = null, birthYear = value.year, clearBirthYear = false)
    is AttributeValue.Cleared -> PersonUpdate(person = person, alias = null, description = null, birthYear = null, clearBirthYear = true)
}

private fun dk.gadeplan.core.Stage.codeLabel(): String =
    Words.instruments.stages.stages.firstOrNull { normalCode(it.code) == normalCode(name) }?.text() ?: name.lowercase()
