// Citizens not known by name (M9): the list of unknown citizens the team has met ("man in green
// jacket"), each with a Brøset check and a contact a tap away, and "Identificér" that notes a
// person from them (NewPerson.fromUnknown: their records join the person); "Er en kendt person"
// that joins them to a person already known (JoinUnknownScreen: mergePersons with the unknown
// citizen as the duplicate); a new person; and merging a duplicate into a person (mergePersons),
// with the core's possible duplicates offered first, then the persons, then the unknown citizens.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardCapitalization
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Times
import dk.gadeplan.core.DuplicateCandidate
import dk.gadeplan.core.NewPerson
import dk.gadeplan.core.PersonSummary
import dk.gadeplan.core.UnknownCitizen

@Composable
fun UnknownCitizensScreen(go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "unknowns") { StoreModel(app) { store -> store.unknownCitizens().filter { it.identifiedAs == null } } }
    val state by model.state.collectAsStateWithLifecycle()
    Screen(title = ui("Ukendte borgere", "Unknown citizens"), onBack = go::back) {
        Loaded(state, retry = model::reload) { unknowns ->
            LazyColumn(Modifier.fillMaxSize()) {
                if (unknowns.isEmpty()) item { Text(ui("Ingen ukendte borgere", "No unknown citizens"), modifier = Modifier.padding(16.dp)) }
                items(unknowns, key = { it.id }) { citizen ->
                    Column(Modifier.fillMaxWidth().padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                        Text(citizen.description, style = MaterialTheme.typography.titleMedium)
                        Text(ui("Først mødt ", "First met ") + Times.local(citizen.firstSeenAt), style = MaterialTheme.typography.bodySmall)
                        BigButton(ui("Kontakt", "Contact")) { go.contact(null, citizen.id) }
                        SecondButton(ui("Identificér som ny person", "Identify as a new person")) { go.newPerson(citizen.id) }
                        SecondButton(ui("Er en kendt person", "Is a known person")) { go.joinUnknown(citizen.id) }
                    }
                    HorizontalDivider()
                }
            }
        }
    }
}

/** A new person, or (`fromUnknown`) the person an unknown citizen turned out to be. */
@Composable
fun NewPersonScreen(fromUnknown: String?, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "newperson-$fromUnknown") { StoreModel<Unit>(app, null) }
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var alias by rememberSaveable { mutableStateOf("") }
    var description by rememberSaveable { mutableStateOf("") }
    var year by rememberSaveable { mutableStateOf("") }
    var warnings by rememberSaveable { mutableStateOf<String?>(null) }
    var created by rememberSaveable { mutableStateOf<String?>(null) }
    Screen(title = if (fromUnknown != null) ui("Identificér", "Identify") else ui("Ny person", "New person"), onBack = go::back) {
        Form {
            OutlinedTextField(
                alias, { alias = it },
                label = { Text(ui("Kaldenavn", "Nickname")) },
                keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.Words),
                modifier = Modifier.fillMaxWidth(),
            )
            OutlinedTextField(description, { description = it }, label = { Text(ui("Beskrivelse", "Description")) }, modifier = Modifier.fillMaxWidth())
            OutlinedTextField(
                year, { text -> year = text.filter { it.isDigit() }.take(4) },
                label = { Text(ui("Fødselsår (hvis kendt)", "Birth year (if known)")) },
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Number),
                modifier = Modifier.fillMaxWidth(),
            )
            ErrorLine(error)
            BigButton(ui("Gem person", "Save person"), enabled = alias.isNotBlank() && created == null, saving = saving) {
                val input = NewPerson(
                    alias = alias.trim(),
                    description = description.trim().ifEmpty { null },
                    birthYear = year.toIntOrNull(),
                    fromUnknown = fromUnknown,
                    occurredAt = null,
                )
                model.save({ store -> store.addPerson(input) }) { recorded ->
                    if (recorded.warnings.isEmpty()) {
                        go.personInstead(recorded.person)
                    } else {
                        // A possible duplicate: say so, and let the worker open the person or merge.
                        warnings = recorded.warnings.joinToString("\n") { it.text() }
                        created = recorded.person
                    }
                }
            }
            val shown = warnings
            val person = created
            if (shown != null && person != null) {
                Text(shown, color = MaterialTheme.colorScheme.error)
                SecondButton(ui("Åbn personen", "Open the person")) { go.personInstead(person) }
                SecondButton(ui("Flet med en dublet", "Merge with a duplicate")) { go.mergeInstead(person) }
            }
        }
    }
}

data class MergeChoices(val candidates: List<DuplicateCandidate>, val persons: List<PersonSummary>, val unknowns: List<UnknownCitizen>)

/** Merge a duplicate into `keep`: the core's possible duplicates of this person first, then all. */
@Composable
fun MergeScreen(keep: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "merge-$keep") {
        StoreModel(app) { store ->
            val pairs = store.possibleDuplicates().filter { it.first.person == keep || it.second.person == keep }
            MergeChoices(
                candidates = pairs.map { if (it.first.person == keep) it.second else it.first },
                persons = store.listPersons(null, 0u).filter { it.id != keep },
                unknowns = store.unknownCitizens().filter { it.identifiedAs == null },
            )
        }
    }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var chosen by rememberSaveable { mutableStateOf<String?>(null) }
    var chosenName by rememberSaveable { mutableStateOf("") }
    Screen(title = ui("Flet med dublet", "Merge a duplicate"), onBack = go::back) {
        Loaded(state, retry = model::reload) { choices ->
            LazyColumn(Modifier.fillMaxSize()) {
                item { ErrorLine(error) }
                if (choices.candidates.isNotEmpty()) item { Section(ui("  Mulige dubletter", "  Possible duplicates")) }
                items(choices.candidates, key = { "c" + it.person }) { c ->
                    SecondButton(listOfNotNull(c.alias, c.birthYear?.toString(), c.description).joinToString(" · "), enabled = !saving) {
                        chosen = c.person; chosenName = c.alias
                    }
                }
                item { Section(ui("  Alle personer", "  All persons")) }
                items(choices.persons, key = { "p" + it.id }) { p ->
                    SecondButton(listOfNotNull(p.alias, p.birthYear?.toString(), p.description).joinToString(" · "), enabled = !saving) {
                        chosen = p.id; chosenName = p.alias
                    }
                }
                if (choices.unknowns.isNotEmpty()) item { Section(ui("  Ukendte borgere", "  Unknown citizens")) }
                items(choices.unknowns, key = { "u" + it.id }) { u ->
                    SecondButton(u.description, enabled = !saving) {
                        chosen = u.id; chosenName = u.description
                    }
                }
            }
            val duplicate = chosen
            if (duplicate != null) {
                AlertDialog(
                    onDismissRequest = { chosen = null },
                    text = { Text(ui("Flet $chosenName ind i denne person? Alt om $chosenName kommer med.", "Merge $chosenName into this person? Everything about $chosenName comes along.")) },
                    confirmButton = {
                        TextButton(onClick = {
                            chosen = null
                            model.save({ store -> store.mergePersons(keep, duplicate) }) { go.back() }
                        }) { Text(ui("Flet", "Merge")) }
                    },
                    dismissButton = { TextButton(onClick = { chosen = null }) { Text(ui("Fortryd", "Cancel")) } },
                )
            }
        }
    }
}
