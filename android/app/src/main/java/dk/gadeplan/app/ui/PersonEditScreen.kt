// A person's details changed (PersonUpdated, issue 18): nickname, description, birth year, or
// the birth year removed. Only what the worker changed is sent (a field left as it was is null),
// so two phones editing different details do not collide; the same detail changed on two phones
// comes back as a conflict the person screen settles. The drafts start from the person as stored.

package dk.gadeplan.app.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.core.PersonSummary
import dk.gadeplan.core.PersonUpdate

@Composable
fun PersonEditScreen(id: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "personedit-$id") { StoreModel(app) { store -> store.person(id).person } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    Screen(title = ui("Ret oplysninger", "Edit details"), onBack = go::back) {
        Loaded(state, retry = model::reload) { person -> EditForm(person, saving, error) { update -> model.save({ store -> store.updatePerson(update) }) { go.back() } } }
    }
}

@Composable
private fun EditForm(person: PersonSummary, saving: Boolean, error: String?, save: (PersonUpdate) -> Unit) {
    var alias by rememberSaveable { mutableStateOf(person.alias) }
    var description by rememberSaveable { mutableStateOf(person.description.orEmpty()) }
    var year by rememberSaveable { mutableStateOf(person.birthYear?.toString().orEmpty()) }
    Form {
        Field(alias, { alias = it }, ui("Kaldenavn", "Nickname"))
        Field(description, { description = it }, ui("Beskrivelse", "Description"), lines = 2)
        Field(year, { year = it.filter(Char::isDigit).take(4) }, ui("Fødselsår (tomt: fjern)", "Birth year (empty: remove)"), number = true)
        ErrorLine(error)
        val newAlias = alias.trim().takeIf { it.isNotEmpty() && it != person.alias }
        val newDescription = description.trim().takeIf { it.isNotEmpty() && it != person.description }
        val newYear = year.toIntOrNull()?.takeIf { it != person.birthYear }
        val clearYear = year.isBlank() && person.birthYear != null
        val changed = newAlias != null || newDescription != null || newYear != null || clearYear
        BigButton(ui("Gem", "Save"), enabled = changed && alias.isNotBlank(), saving = saving) {
            save(PersonUpdate(person = person.id, alias = newAlias, description = newDescription, birthYear = newYear, clearBirthYear = clearYear))
        }
    }
}
