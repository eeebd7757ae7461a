// The persons list (A21, A23, A24, A29): most recently met first, in pages of 50 loaded as the
// list nears its end; a search over nickname and description (over every person on the phone:
// a team's caseload is hundreds, not millions); reloaded after every record and sync, and when
// the app comes back to the front (a risk band expires after 24 hours). Each row: nickname,
// last seen in the phone's time zone, the current band as a badge, the course phase and the
// guarantee's days left; a mark when two phones changed a detail differently; "ikke sendt" when
// some of this phone's own entries about the person have not reached the centre yet (notSent,
// M7), so a worker knows which persons a lost phone would lose.

package dk.gadeplan.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.lazy.rememberLazyListState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material.icons.Icons
import androidx.compose.material.icons.filled.Add
import androidx.compose.material.icons.filled.Search
import androidx.compose.material.icons.filled.Warning
import androidx.compose.material3.ExtendedFloatingActionButton
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.Icon
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.derivedStateOf
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.unit.dp
import androidx.lifecycle.ViewModel
import androidx.lifecycle.compose.LifecycleResumeEffect
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.app.logic.Times
import dk.gadeplan.app.logic.describe
import dk.gadeplan.core.PersonSummary
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

class PersonsModel(private val app: GadeplanApp) : ViewModel() {
    private val loaded = MutableStateFlow<Load<List<PersonSummary>>>(Load.Loading)
    val state: StateFlow<Load<List<PersonSummary>>> = loaded.asStateFlow()
    private var limit = PAGE
    private var search = ""
    /** Whether the last load filled its page: there may be more. */
    private var full = false
    /** The load under way: a newer one (a key typed in the search) cancels it. */
    private var loading: Job? = null

    init {
        viewModelScope.launch { app.changes.collect { reload() } }
    }

    fun search(text: String) {
        search = text.trim()
        limit = PAGE
        reload()
    }

    fun more() {
        if (!full || loading?.isActive == true || search.isNotEmpty()) return
        limit += PAGE
        reload()
    }

    fun reload() {
        val want = limit
        val query = search
        loading?.cancel()
        loading = viewModelScope.launch {
            loaded.value = withContext(Dispatchers.IO) {
                try {
                    val store = app.store() ?: throw NoStoreException()
                    if (query.isEmpty()) {
                        val page = store.listPersons(want.toUInt(), 0u)
                        full = page.size >= want
                        Load.Ready(page)
                    } else {
                        full = false
                        Load.Ready(store.listPersons(null, 0u).filter { it.matches(query) })
                    }
                } catch (e: Exception) {
                    Load.Failed(describe(e, app.language))
                }
            }
        }
    }

    private fun PersonSummary.matches(query: String): Boolean =
        alias.contains(query, ignoreCase = true) || description?.contains(query, ignoreCase = true) == true

    private companion object {
        const val PAGE = 50
    }
}

@Composable
fun PersonsList(go: Go) {
    val app = gadeplanApp()
    val model = viewModel { PersonsModel(app) }
    val state by model.state.collectAsStateWithLifecycle()
    var query by rememberSaveable { mutableStateOf("") }
    LifecycleResumeEffect(Unit) {
        model.reload()
        onPauseOrDispose { }
    }
    Box(Modifier.fillMaxSize()) {
        Column(Modifier.fillMaxSize()) {
            OutlinedTextField(
                query,
                { query = it; model.search(it) },
                leadingIcon = { Icon(Icons.Filled.Search, contentDescription = null) },
                label = { Text(ui("Søg på kaldenavn eller beskrivelse", "Search nickname or description")) },
                singleLine = true,
                keyboardOptions = KeyboardOptions(imeAction = ImeAction.Search),
                modifier = Modifier.fillMaxWidth().padding(horizontal = 16.dp, vertical = 8.dp),
            )
            OutlinedButton(
                onClick = { go.riskCheck(null, null) },
                modifier = Modifier.fillMaxWidth().padding(horizontal = 16.dp).heightIn(min = 56.dp),
            ) { Text(ui("Brøset før kontakt med ukendt borger", "Brøset before contact with an unknown citizen")) }
            Loaded(state, retry = model::reload) { persons ->
                val list = rememberLazyListState()
                val nearEnd by remember {
                    derivedStateOf { (list.layoutInfo.visibleItemsInfo.lastOrNull()?.index ?: 0) >= list.layoutInfo.totalItemsCount - 10 }
                }
                LaunchedEffect(nearEnd, persons.size) { if (nearEnd) model.more() }
                if (persons.isEmpty()) {
                    Text(
                        if (query.isBlank()) ui("Ingen personer endnu", "No persons yet") else ui("Ingen fundet", "None found"),
                        modifier = Modifier.padding(16.dp),
                    )
                }
                LazyColumn(state = list, modifier = Modifier.fillMaxSize()) {
                    items(persons, key = { it.id }) { person ->
                        PersonRow(person) { go.person(person.id) }
                        HorizontalDivider()
                    }
                }
            }
        }
        ExtendedFloatingActionButton(
            onClick = { go.newPerson() },
            icon = { Icon(Icons.Filled.Add, contentDescription = null) },
            text = { Text(ui("Tilføj person", "Add person")) },
            modifier = Modifier.align(Alignment.BottomEnd).padding(16.dp),
        )
    }
}

@Composable
private fun PersonRow(person: PersonSummary, open: () -> Unit) {
    Row(
        Modifier.fillMaxWidth().heightIn(min = 64.dp).clickable(role = Role.Button, onClick = open).padding(horizontal = 16.dp, vertical = 10.dp),
        verticalAlignment = Alignment.CenterVertically,
        horizontalArrangement = Arrangement.spacedBy(8.dp),
    ) {
        Column(Modifier.weight(1f)) {
            Text(person.alias, style = MaterialTheme.typography.titleMedium)
            val seen = person.lastContactAt?.let { ui("Sidst set ", "Last seen ") + Times.local(it) } ?: ui("Aldrig mødt", "Never met")
            Text(seen, style = MaterialTheme.typography.bodySmall)
            val course = listOfNotNull(
                person.coursePhase?.labelIn(Words.instruments.course.phases),
                person.guarantee?.daysLeft?.let { ui("garanti: $it dage tilbage", "guarantee: $it days left") },
            ).joinToString(" · ")
            if (course.isNotEmpty()) Text(course, style = MaterialTheme.typography.bodySmall)
            NotSentMark(person.notSent)
        }
        if (person.hasConflicts) {
            Icon(
                Icons.Filled.Warning,
                contentDescription = ui("Uafklarede oplysninger", "Unsettled details"),
                tint = MaterialTheme.colorScheme.error,
                modifier = Modifier.semantics { },
            )
        }
        person.risk?.let { RiskBadge(it) }
    }
}
