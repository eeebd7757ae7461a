// Recording a contact, behind the Brøset gate (M8, A25–A27, A31): on top, the citizen's current
// band (the core's current check, `currentRiskCheck`, for a person or an unknown citizen, or the
// one just made) and the contact is linked to it; with
// none, "Ingen aktuel risikovurdering" and a one-tap "Ny vurdering" that comes back here linked.
// Then a few taps: a place from the team's register (its visit rule shown) or a place kind and a
// few words, the kind, the outcome, a colleague from the roster, minutes, a note. The worker's
// last choices are remembered (place kind, kind, outcome), except that after a high band no
// outcome is preselected: the worker must choose, e.g. "not approached: risk".

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Times
import dk.gadeplan.core.ContactInput
import dk.gadeplan.core.ContactKind
import dk.gadeplan.core.EntryContent
import dk.gadeplan.core.Label
import dk.gadeplan.core.MeetingKind
import dk.gadeplan.core.Outcome
import dk.gadeplan.core.PlaceKind
import dk.gadeplan.core.PlaceView
import dk.gadeplan.core.RiskBand
import dk.gadeplan.core.Store
import dk.gadeplan.core.Subject
import java.time.Instant

/** What the contact screen needs from the store: the current check, the roster, the places. */
data class ContactGate(
    val band: RiskBand?,
    val checkedAt: Instant?,
    val check: String?,
    val roster: List<String>,
    val places: List<PlaceView>,
)

private fun loadGate(store: Store, person: String?, unknown: String?, check: String?): ContactGate {
    val me = store.identity().worker
    val roster = store.roster().orEmpty().filter { it != me }
    val places = store.places()
    return when {
        check != null -> {
            val item = store.entry(check)
            val band = (item.content as? EntryContent.RiskChecked)?.v1?.band
            ContactGate(band, item.occurredAt, check, roster, places)
        }
        person != null -> {
            // The check that makes the band current is the core's answer (M8), never guessed here.
            val summary = store.person(person).person
            ContactGate(summary.risk, summary.riskCheckedAt, summary.currentRiskCheck, roster, places)
        }
        unknown != null -> {
            // An unknown citizen's current check too (P2): a check made an hour ago is shown and linked.
            val citizen = store.unknownCitizens().firstOrNull { it.id == unknown }
            ContactGate(citizen?.risk, citizen?.riskCheckedAt, citizen?.currentRiskCheck, roster, places)
        }
        else -> ContactGate(null, null, null, roster, places)
    }
}

@Composable
fun ContactScreen(person: String?, unknown: String?, check: String?, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "contact-$person-$unknown-$check") { StoreModel(app) { store -> loadGate(store, person, unknown, check) } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    val defs = Words.instruments
    var defaulted by rememberSaveable { mutableStateOf(false) }
    var placeKind by rememberSaveable { mutableStateOf<String?>(null) }
    var kind by rememberSaveable { mutableStateOf<String?>(null) }
    var outcome by rememberSaveable { mutableStateOf<String?>(null) }
    var meeting by rememberSaveable { mutableStateOf<String?>(null) }
    var placeId by rememberSaveable { mutableStateOf<String?>(null) }
    var place by rememberSaveable { mutableStateOf("") }
    var colleague by rememberSaveable { mutableStateOf<String?>(null) }
    var minutes by rememberSaveable { mutableStateOf("") }
    var note by rememberSaveable { mutableStateOf("") }
    var announced by rememberSaveable { mutableStateOf(false) }
    var safetyReason by rememberSaveable { mutableStateOf("") }

    val gate = state.valueOrNull()
    LaunchedEffect(gate) {
        if (gate != null && !defaulted) {
            val last = app.contactDefaults.last()
            placeKind = last.placeKind
            kind = last.kind
            outcome = if (gate.band == RiskBand.HIGH) null else last.outcome
            defaulted = true
        }
    }

    Screen(title = ui("Kontakt", "Contact"), onBack = go::back) {
        Loaded(state, retry = model::reload) { g ->
            Form {
                // The Brøset gate.
                if (g.band != null) {
                    RiskBadge(g.band)
                    g.checkedAt?.let { Text(ui("Vurderet ", "Checked ") + Times.local(it), style = MaterialTheme.typography.bodySmall) }
                    if (g.band == RiskBand.HIGH) {
                        Text(ui("Høj risiko: følg planen, gå ikke alene.", "High risk: follow the plan, do not go alone."), color = MaterialTheme.colorScheme.error)
                    }
                } else {
                    Text(ui("Ingen aktuel risikovurdering", "No current risk check"), color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.titleMedium)
                    BigButton(ui("Ny vurdering først", "New check first")) { go.riskCheck(person, unknown) }
                }

                if (g.places.isNotEmpty()) {
                    Section(ui("Sted fra registret", "Place from the register"))
                    Choices(g.places.map { Label(it.id, it.name, it.name) }, placeId) { id ->
                        val chosen = g.places.first { it.id == id }
                        if (placeId == id) {
                            placeId = null
                        } else {
                            placeId = id
                            place = chosen.name
                            placeKind = chosen.kind.codeIn(defs.placeKinds) ?: placeKind
                        }
                    }
                    g.places.firstOrNull { it.id == placeId }?.let { p ->
                        Text(p.ruleLabel.text() + (p.call?.let { " · $it" } ?: ""), style = MaterialTheme.typography.bodySmall)
                    }
                }
                Section(ui("Hvor", "Where"))
                Choices(defs.placeKinds, placeKind) { placeKind = it }
                OutlinedTextField(place, { place = it; placeId = null }, label = { Text(ui("Stedet med få ord", "The place in a few words")) }, modifier = Modifier.fillMaxWidth())
                if (placeKind == "home") {
                    BigToggle(ui("Besøget var aftalt", "The visit was announced"), null, announced) { announced = it }
                }

                Section(ui("Slags kontakt", "Kind of contact"))
                Choices(defs.contactKinds, kind) { kind = it }
                if (kind == "meeting" || kind == "about-citizen") Choices(defs.meetingKinds, meeting) { meeting = it }

                Section(ui("Udfald", "Outcome"))
                Choices(defs.outcomes, outcome) { outcome = it }

                Section(ui("Kollega med", "Colleague present"))
                Choices(g.roster.map { Label(it, it, it) }, colleague) { colleague = if (colleague == it) null else it }
                if (placeKind == "home" && colleague == null) {
                    OutlinedTextField(
                        safetyReason, { safetyReason = it },
                        label = { Text(ui("Hvorfor det er sikkert at gå alene", "Why it is safe to go alone")) },
                        modifier = Modifier.fillMaxWidth(),
                    )
                }
                OutlinedTextField(
                    minutes, { text -> minutes = text.filter { it.isDigit() }.take(4) },
                    label = { Text(ui("Minutter", "Minutes")) },
                    keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
                    modifier = Modifier.fillMaxWidth(),
                )
                OutlinedTextField(note, { note = it }, label = { Text(ui("Note", "Note")) }, minLines = 2, modifier = Modifier.fillMaxWidth())
                ErrorLine(error)

                val placeKindValue = enumOf<PlaceKind>(placeKind)
                val kindValue = enumOf<ContactKind>(kind)
                val outcomeValue = enumOf<Outcome>(outcome)
                val subjectKnown = person != null || unknown != null || g.check != null
                val ready = placeKindValue != null && kindValue != null && outcomeValue != null && (place.isNotBlank() || placeId != null) && subjectKnown
                BigButton(ui("Gem kontakt", "Save contact"), enabled = ready, saving = saving) {
                    if (placeKindValue == null || kindValue == null || outcomeValue == null) return@BigButton
                    val input = ContactInput(
                        subject = when {
                            person != null -> Subject.Person(person)
                            unknown != null -> Subject.UnknownCitizen(unknown)
                            else -> null
                        },
                        place = place.trim(),
                        placeKind = placeKindValue,
                        kind = kindValue,
                        outcome = outcomeValue,
                        colleague = colleague,
                        minutes = minutes.toUIntOrNull(),
                        note = note.trim().ifEmpty { null },
                        riskCheck = g.check,
                        occurredAt = null,
                        meeting = enumOf<MeetingKind>(meeting)?.takeIf { kindValue == ContactKind.MEETING || kindValue == ContactKind.ABOUT_CITIZEN },
                        announced = if (placeKindValue == PlaceKind.HOME) announced else null,
                        safetyReason = safetyReason.trim().ifEmpty { null }?.takeIf { placeKindValue == PlaceKind.HOME && colleague == null },
                        placeId = placeId,
                    )
                    model.save({ store -> store.recordContact(input) }) {
                        app.contactDefaults.remember(placeKind.orEmpty(), kind.orEmpty(), outcome.orEmpty())
                        go.back()
                    }
                }
            }
        }
    }
}
