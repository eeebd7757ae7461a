// Noting a place (issue 18, "note an area/place"): its name, kind, the rule for visiting it
// (open, announced only, only when called…), the area it lies in, an address, how the workers
// are called to it, a note. No position: the app asks for no location permission. The rules and
// the area's existence are the core's checks.

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
import dk.gadeplan.core.Label
import dk.gadeplan.core.NewEntry
import dk.gadeplan.core.PlaceInput
import dk.gadeplan.core.PlaceKind
import dk.gadeplan.core.VisitRule

@Composable
fun NewPlaceScreen(go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "newplace") { StoreModel(app) { store -> store.areas() } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var name by rememberSaveable { mutableStateOf("") }
    var kind by rememberSaveable { mutableStateOf<String?>(null) }
    var rule by rememberSaveable { mutableStateOf<String?>(null) }
    var area by rememberSaveable { mutableStateOf<String?>(null) }
    var address by rememberSaveable { mutableStateOf("") }
    var call by rememberSaveable { mutableStateOf("") }
    var note by rememberSaveable { mutableStateOf("") }

    Screen(title = ui("Nyt sted", "A new place"), onBack = go::back) {
        Loaded(state, retry = model::reload) { areas ->
            Form {
                Field(name, { name = it }, ui("Navn", "Name"))
                Text(ui("Slags sted", "Kind of place"), style = MaterialTheme.typography.titleSmall)
                Choices(Words.instruments.placeKinds, kind) { kind = it }
                Text(ui("Besøgsregel", "Visit rule"), style = MaterialTheme.typography.titleSmall)
                Choices(Words.instruments.safety.visitRules, rule) { rule = it }
                if (areas.isNotEmpty()) {
                    Text(ui("Område (valgfrit)", "Area (optional)"), style = MaterialTheme.typography.titleSmall)
                    Choices(areas.map { Label(it.id, it.name, it.name) }, area) { area = if (area == it) null else it }
                }
                Field(address, { address = it }, ui("Adresse (valgfrit)", "Address (optional)"))
                Field(call, { call = it }, ui("Hvordan vi tilkaldes, fx et nummer (valgfrit)", "How we are called, e.g. a number (optional)"))
                Field(note, { note = it }, ui("Note (valgfrit)", "Note (optional)"), lines = 2)
                ErrorLine(error)
                val k = enumOf<PlaceKind>(kind)
                val r = enumOf<VisitRule>(rule)
                BigButton(ui("Gem sted", "Save place"), enabled = name.isNotBlank() && k != null && r != null, saving = saving) {
                    val input = PlaceInput(
                        name = name.trim(),
                        kind = k ?: return@BigButton,
                        rule = r ?: return@BigButton,
                        area = area,
                        address = address.orNull(),
                        call = call.orNull(),
                        note = note.orNull(),
                    )
                    model.save({ store -> store.record(NewEntry.PlaceNoted(input)) }) { go.back() }
                }
            }
        }
    }
}
