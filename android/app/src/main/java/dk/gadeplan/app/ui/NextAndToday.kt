// Two lists the core orders and words: what the worker should do next (check-in alerts first,
// with "Jeg tager den" for a colleague's; guarantees running out; questionnaires due; citizens
// with an open course not talked with), and today's log of what this phone recorded since
// local midnight, each entry open for correction (M10). The "More" tab's list of the rest
// (check-in, incidents, unknown citizens, places, rounds and areas, the caseload, the centre
// search, settings), scrolling at a large font size.

package dk.gadeplan.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.verticalScroll
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.LifecycleResumeEffect
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Times
import dk.gadeplan.core.AlertKind
import dk.gadeplan.core.CheckinAcknowledgementInput
import dk.gadeplan.core.NewEntry
import dk.gadeplan.core.NextStep
import java.time.Instant
import java.time.ZoneId

@Composable
fun NextStepsList(go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "next-steps") { StoreModel(app) { store -> store.nextSteps() } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    LifecycleResumeEffect(Unit) {
        model.reload()
        onPauseOrDispose { }
    }
    Loaded(state, retry = model::reload) { steps ->
        LazyColumn(Modifier.fillMaxSize()) {
            item { ErrorLine(error) }
            if (steps.isEmpty()) item { Text(ui("Intet at gøre lige nu", "Nothing to do right now"), modifier = Modifier.padding(16.dp)) }
            items(steps) { step ->
                when (step) {
                    is NextStep.Checkin -> {
                        val alert = step.alert
                        val colleague = alert.kind == AlertKind.COLLEAGUE_OVERDUE || alert.kind == AlertKind.COLLEAGUE_DURESS
                        Column(Modifier.fillMaxWidth().padding(16.dp), verticalArrangement = Arrangement.spacedBy(6.dp)) {
                            Text(
                                "${alert.kindLabel.text()}: ${alert.worker}, ${alert.place}",
                                style = MaterialTheme.typography.titleMedium,
                                color = if (colleague) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.primary,
                            )
                            Text(ui("Skulle være ude ", "Due out ") + Times.local(alert.dueAt), style = MaterialTheme.typography.bodySmall)
                            alert.acknowledgedBy?.let { Text(ui("$it har taget den", "$it has taken charge")) }
                            if (colleague && alert.acknowledgedBy == null) {
                                BigButton(ui("Jeg tager den", "I take charge"), saving = saving) {
                                    model.save({ store ->
                                        store.record(NewEntry.CheckinAcknowledged(CheckinAcknowledgementInput(checkin = alert.checkin)))
                                    }) { }
                                }
                            } else if (!colleague) {
                                SecondButton(ui("Åbn tjek-ind", "Open check-in")) { go.checkin() }
                            }
                        }
                    }
                    is NextStep.Guarantee -> StepRow(
                        step.alias,
                        step.guarantee.daysLeft?.let { days ->
                            if (days < 0) ui("Behandlingsgarantien er overskredet (sidste dag ${step.guarantee.lastDay})", "Treatment guarantee breached (last day ${step.guarantee.lastDay})")
                            else ui("Behandlingsgaranti: $days dage tilbage (sidste dag ${step.guarantee.lastDay})", "Treatment guarantee: $days days left (last day ${step.guarantee.lastDay})")
                        } ?: ui("Behandlingsgaranti, sidste dag ${step.guarantee.lastDay}", "Treatment guarantee, last day ${step.guarantee.lastDay}"),
                    ) { go.person(step.person) }
                    is NextStep.Questionnaire -> StepRow(
                        step.alias,
                        ui("Spørgeskema: ", "Questionnaire: ") + step.due.label.text() + " · " + ui("siden ", "since ") + Times.local(step.due.since),
                    ) { go.person(step.person) }
                    is NextStep.TalkWith -> StepRow(
                        step.alias,
                        step.lastSeenAt?.let { ui("Ingen samtale i 14 dage · sidst set ", "No conversation in 14 days · last seen ") + Times.local(it) }
                            ?: ui("Ingen samtale i 14 dage", "No conversation in 14 days"),
                    ) { go.person(step.person) }
                }
                HorizontalDivider()
            }
        }
    }
}

@Composable
private fun StepRow(title: String, detail: String, open: () -> Unit) {
    Column(Modifier.fillMaxWidth().heightIn(min = 64.dp).clickable(role = Role.Button, onClick = open).padding(16.dp)) {
        Text(title, style = MaterialTheme.typography.titleMedium)
        Text(detail, style = MaterialTheme.typography.bodyMedium)
    }
}

@Composable
fun TodayList(go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "today") {
        StoreModel(app) { store ->
            val offset = ZoneId.systemDefault().rules.getOffset(Instant.now()).totalSeconds / 60
            store.todaysLog(offset).reversed()
        }
    }
    val state by model.state.collectAsStateWithLifecycle()
    LifecycleResumeEffect(Unit) {
        model.reload()
        onPauseOrDispose { }
    }
    Loaded(state, retry = model::reload) { entries ->
        LazyColumn(Modifier.fillMaxSize()) {
            if (entries.isEmpty()) item { Text(ui("Intet optaget i dag", "Nothing recorded today"), modifier = Modifier.padding(16.dp)) }
            items(entries, key = { it.id }) { item ->
                TimelineRow(item) { go.correct(item.id) }
                HorizontalDivider()
            }
        }
    }
}

@Composable
fun MoreList(go: Go) {
    Column(Modifier.fillMaxSize().verticalScroll(androidx.compose.foundation.rememberScrollState()).padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        SecondButton(ui("Tjek-ind før et besøg", "Check-in before a visit")) { go.checkin() }
        SecondButton(ui("Registrér en hændelse", "Record an incident")) { go.incident() }
        SecondButton(ui("Ukendte borgere", "Unknown citizens")) { go.unknowns() }
        SecondButton(ui("Steder og besøgsregler", "Places and visit rules")) { go.places() }
        SecondButton(ui("Runder og områder", "Rounds and areas")) { go.rounds() }
        SecondButton(ui("Sagsbelastning og venteliste", "Caseload and waiting for treatment")) { go.caseload() }
        SecondButton(ui("Søg på centret (kræver forbindelse)", "Search the centre (online)")) { go.centreSearch() }
        SecondButton(ui("Indstillinger og afmelding", "Settings and sign-out")) { go.settings() }
    }
}
