// An unknown citizen who turns out to be a person already known (M9, audit P1): the worker picks
// the person, confirms, and the core's mergePersons joins the unknown citizen's records to them
// (the core takes an unknown citizen's id as the duplicate). The core's possible duplicates are
// not asked here (they compare persons); the list is the team's persons, searched by the worker.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.core.PersonSummary

data class JoinChoices(val description: String, val persons: List<PersonSummary>)

/** Join the unknown citizen `unknown` to a known person: mergePersons(keep = person, duplicate = unknown). */
@Composable
fun JoinUnknownScreen(unknown: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "join-$unknown") {
        StoreModel(app) { store ->
            val citizen = store.unknownCitizens().firstOrNull { it.id == unknown }
            JoinChoices(citizen?.description.orEmpty(), store.listPersons(null, 0u))
        }
    }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var search by rememberSaveable { mutableStateOf("") }
    var chosen by rememberSaveable { mutableStateOf<String?>(null) }
    var chosenName by rememberSaveable { mutableStateOf("") }
    Screen(title = ui("Er en kendt person", "Is a known person"), onBack = go::back) {
        Loaded(state, retry = model::reload) { choices ->
            val needle = search.trim().lowercase()
            val shown = choices.persons.filter { p ->
                needle.isEmpty() || p.alias.lowercase().contains(needle) || p.description.orEmpty().lowercase().contains(needle)
            }
            LazyColumn(Modifier.fillMaxSize()) {
                item { Text(choices.description, modifier = Modifier.padding(16.dp)) }
                item {
                    OutlinedTextField(
                        search, { search = it },
                        label = { Text(ui("Søg person", "Search persons")) },
                        modifier = Modifier.fillMaxWidth().padding(horizontal = 16.dp),
                    )
                }
                item { ErrorLine(error) }
                items(shown, key = { it.id }) { p ->
                    SecondButton(listOfNotNull(p.alias, p.birthYear?.toString(), p.description).joinToString(" · "), enabled = !saving) {
                        chosen = p.id; chosenName = p.alias
                    }
                }
            }
            val keep = chosen
            if (keep != null) {
                AlertDialog(
                    onDismissRequest = { chosen = null },
                    text = {
                        Text(
                            ui(
                                "Er \"${choices.description}\" $chosenName? Alt registreret om den ukendte borger kommer med til $chosenName.",
                                "Is \"${choices.description}\" $chosenName? Everything recorded about the unknown citizen goes to $chosenName.",
                            ),
                        )
                    },
                    confirmButton = {
                        TextButton(onClick = {
                            chosen = null
                            model.save({ store -> store.mergePersons(keep, unknown) }) { go.personInstead(keep) }
                        }) { Text(ui("Ja, samme person", "Yes, the same person")) }
                    },
                    dismissButton = { TextButton(onClick = { chosen = null }) { Text(ui("Fortryd", "Cancel")) } },
                )
            }
        }
    }
}
