// An incident (threat, violence against a person or things): its kind, the citizen if known, the
// place, the colleagues there (from the roster), whether the police or the centre were called,
// and a note. Saved once, synced soon after.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.core.IncidentInput
import dk.gadeplan.core.IncidentKind
import dk.gadeplan.core.NewEntry
import dk.gadeplan.core.Subject

@Composable
fun IncidentScreen(person: String?, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "incident-$person") {
        StoreModel(app) { store -> store.identity().worker.let { me -> store.roster().orEmpty().filter { it != me } } }
    }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var kind by rememberSaveable { mutableStateOf<String?>(null) }
    var unknown by rememberSaveable { mutableStateOf("") }
    var place by rememberSaveable { mutableStateOf("") }
    var workers by rememberCodes()
    var police by rememberSaveable { mutableStateOf(false) }
    var centre by rememberSaveable { mutableStateOf(false) }
    var note by rememberSaveable { mutableStateOf("") }

    Screen(title = ui("Hændelse", "Incident"), onBack = go::back) {
        Loaded(state, retry = model::reload) { colleagues ->
            Form {
                Choices(Words.instruments.safety.incidentKinds, kind) { kind = it }
                if (person == null) {
                    OutlinedTextField(unknown, { unknown = it }, label = { Text(ui("Borgeren med få ord (hvis nogen)", "The citizen in a few words (if any)")) }, modifier = Modifier.fillMaxWidth())
                }
                OutlinedTextField(place, { place = it }, label = { Text(ui("Hvor", "Where")) }, modifier = Modifier.fillMaxWidth())
                if (colleagues.isNotEmpty()) {
                    Section(ui("Kolleger der var med", "Colleagues present"))
                    colleagues.forEach { name ->
                        BigToggle(name, null, name in workers) { on -> workers = if (on) workers + name else workers - name }
                    }
                }
                BigToggle(ui("Politiet blev tilkaldt", "The police were called"), null, police) { police = it }
                BigToggle(ui("Centret blev kontaktet", "The centre was called"), null, centre) { centre = it }
                OutlinedTextField(note, { note = it }, label = { Text(ui("Hvad skete der", "What happened")) }, minLines = 3, modifier = Modifier.fillMaxWidth())
                ErrorLine(error)
                val picked = enumOf<IncidentKind>(kind)
                BigButton(ui("Gem hændelse", "Save incident"), enabled = picked != null, saving = saving) {
                    val value = picked ?: return@BigButton
                    val subject = when {
                        person != null -> Subject.Person(person)
                        unknown.isNotBlank() -> Subject.Unknown(unknown.trim())
                        else -> null
                    }
                    val input = IncidentInput(
                        subject = subject,
                        kind = value,
                        workers = workers,
                        policeCalled = police,
                        centreCalled = centre,
                        place = place.trim().ifEmpty { null },
                        note = note.trim().ifEmpty { null },
                    )
                    model.save({ store -> store.record(NewEntry.IncidentRecorded(input)) }) { go.back() }
                }
            }
        }
    }
}
