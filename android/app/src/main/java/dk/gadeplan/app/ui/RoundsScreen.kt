// Rounds and areas (issue 18, from the home screen's "Mere"): the team's areas with their
// priority and how well they are covered (the core's coverage), the planned rounds with their
// weekday, time and stops, and two forms: note an area (name, priority, when it is worth a
// visit) and plan a round (weekday, time "HH:MM", the places it stops at, in the order tapped).
// The places themselves are noted on the places screen. The time's form and the rest are the core's checks.

package dk.gadeplan.app.ui

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Times
import dk.gadeplan.core.AreaCoverage
import dk.gadeplan.core.AreaInput
import dk.gadeplan.core.AreaPriority
import dk.gadeplan.core.NewEntry
import dk.gadeplan.core.PlaceView
import dk.gadeplan.core.RoundInput
import dk.gadeplan.core.RoundView
import dk.gadeplan.core.Weekday

data class RoundsState(val coverage: List<AreaCoverage>, val rounds: List<RoundView>, val places: List<PlaceView>)

@Composable
fun RoundsScreen(go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "rounds") { StoreModel(app) { store -> RoundsState(store.coverage(), store.rounds(), store.places()) } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    val safety = Words.instruments.safety

    fun record(entry: NewEntry, done: () -> Unit) = model.save({ store -> store.record(entry) }) { done() }

    Screen(title = ui("Runder og områder", "Rounds and areas"), onBack = go::back) {
        Loaded(state, retry = model::reload) { now ->
            Form {
                Section(ui("Områder", "Areas"))
                if (now.coverage.isEmpty()) Text(ui("Ingen områder endnu", "No areas yet"))
                now.coverage.forEach { c ->
                    Text(c.area.name + " · " + c.area.priorityLabel.text(), style = MaterialTheme.typography.titleSmall)
                    Text(
                        listOfNotNull(
                            c.stateLabel.text(),
                            ui("${c.places} steder, ${c.rounds} runder, ${c.contacts} kontakter", "${c.places} places, ${c.rounds} rounds, ${c.contacts} contacts"),
                            c.lastContact?.let { ui("sidst ", "last ") + Times.local(it) },
                            c.area.times,
                        ).joinToString(" · "),
                        style = MaterialTheme.typography.bodySmall,
                    )
                }
                Section(ui("Runder", "Rounds"))
                if (now.rounds.isEmpty()) Text(ui("Ingen runder planlagt", "No rounds planned"))
                now.rounds.forEach { r ->
                    Text("${r.name} · ${r.weekdayLabel.text()} ${r.time}", style = MaterialTheme.typography.titleSmall)
                    Text(r.stops.mapNotNull { it.name }.joinToString(" → "), style = MaterialTheme.typography.bodySmall)
                }
                ErrorLine(error)
                NoteArea(safety.areaPriorities, saving) { input, done -> record(NewEntry.AreaNoted(input), done) }
                PlanRound(safety.weekdays, now.places, saving) { input, done -> record(NewEntry.RoundPlanned(input), done) }
            }
        }
    }
}

@Composable
private fun NoteArea(priorities: List<dk.gadeplan.core.Label>, saving: Boolean, save: (AreaInput, () -> Unit) -> Unit) {
    var name by rememberSaveable { mutableStateOf("") }
    var priority by rememberSaveable { mutableStateOf<String?>(null) }
    var times by rememberSaveable { mutableStateOf("") }
    var note by rememberSaveable { mutableStateOf("") }
    Section(ui("Nyt område", "A new area"))
    Field(name, { name = it }, ui("Navn", "Name"))
    Choices(priorities, priority) { priority = it }
    Field(times, { times = it }, ui("Hvornår (valgfrit)", "When (optional)"))
    Field(note, { note = it }, ui("Note (valgfrit)", "Note (optional)"), lines = 2)
    val p = enumOf<AreaPriority>(priority)
    BigButton(ui("Gem område", "Save area"), enabled = name.isNotBlank() && p != null, saving = saving) {
        save(AreaInput(name.trim(), p ?: return@BigButton, times.orNull(), note.orNull(), null)) { name = ""; priority = null; times = ""; note = "" }
    }
}

@Composable
private fun PlanRound(weekdays: List<dk.gadeplan.core.Label>, places: List<PlaceView>, saving: Boolean, save: (RoundInput, () -> Unit) -> Unit) {
    var name by rememberSaveable { mutableStateOf("") }
    var weekday by rememberSaveable { mutableStateOf<String?>(null) }
    var time by rememberSaveable { mutableStateOf("") }
    var stops by rememberCodes()
    var note by rememberSaveable { mutableStateOf("") }
    Section(ui("Planlæg en runde", "Plan a round"))
    Field(name, { name = it }, ui("Navn", "Name"))
    Choices(weekdays, weekday) { weekday = it }
    Field(time, { time = it.take(5) }, ui("Klokken (TT:MM, fx 09:30)", "Time (HH:MM, e.g. 09:30)"))
    if (places.isEmpty()) Text(ui("Ingen steder endnu – notér dem under Steder", "No places yet – note them under Places"))
    places.forEach { place ->
        val n = stops.indexOf(place.id)
        BigToggle(place.name, if (n >= 0) ui("stop ${n + 1}", "stop ${n + 1}") else place.areaName, n >= 0) { on ->
            stops = if (on) stops + place.id else stops - place.id
        }
    }
    Field(note, { note = it }, ui("Note (valgfrit)", "Note (optional)"), lines = 2)
    val day = enumOf<Weekday>(weekday)
    BigButton(ui("Gem runde", "Save round"), enabled = name.isNotBlank() && day != null && time.isNotBlank(), saving = saving) {
        save(RoundInput(name.trim(), day ?: return@BigButton, time.trim(), stops, note.orNull(), null)) {
            name = ""; weekday = null; time = ""; stops = emptyList(); note = ""
        }
    }
}
