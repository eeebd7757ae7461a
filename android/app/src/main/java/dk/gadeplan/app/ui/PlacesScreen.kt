// The team's places and their visit rules (issue 18: "places and their visit rules"): each place
// with its kind, area, address, the rule for visiting it (e.g. only when called, never alone) and
// how the workers are called to it (a number in it one tap from the dialler). From the store:
// offline. "Nyt sted" opens the form that notes one (NewPlaceScreen).

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.HorizontalDivider
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel

@Composable
fun PlacesScreen(go: Go) {
    val app = gadeplanApp()
    val context = LocalContext.current
    val model = viewModel(key = "places") { StoreModel(app) { store -> store.places() } }
    val state by model.state.collectAsStateWithLifecycle()
    Screen(title = ui("Steder", "Places"), onBack = go::back) {
        Loaded(state, retry = model::reload) { places ->
            LazyColumn(Modifier.fillMaxSize()) {
                item { Column(Modifier.padding(16.dp)) { SecondButton(ui("Nyt sted", "A new place")) { go.newPlace() } } }
                if (places.isEmpty()) item { Text(ui("Holdet har ingen steder registreret", "The team has no places registered"), modifier = Modifier.padding(16.dp)) }
                items(places, key = { it.id }) { place ->
                    Column(Modifier.fillMaxWidth().padding(16.dp), verticalArrangement = Arrangement.spacedBy(4.dp)) {
                        Text(place.name, style = MaterialTheme.typography.titleMedium)
                        Text(listOfNotNull(place.kindLabel.text(), place.areaName, place.address).joinToString(" · "), style = MaterialTheme.typography.bodySmall)
                        Text(place.ruleLabel.text(), style = MaterialTheme.typography.titleSmall, color = MaterialTheme.colorScheme.primary)
                        place.note?.let { Text(it) }
                        place.call?.let { call ->
                            Text(ui("Tilkald: ", "Called by: ") + call)
                            // A number in it is one tap from the dialler.
                            phoneNumberIn(call)?.let { number ->
                                SecondButton(ui("Ring ", "Call ") + number) {
                                    dial(context, number)
                                }
                            }
                        }
                    }
                    HorizontalDivider()
                }
            }
        }
    }
}

/** The first phone number in a text ("ring 33 12 34 56"), or null. */
fun phoneNumberIn(text: String): String? =
    Regex("""\+?\d[\d ]{6,}\d""").find(text)?.value?.trim()
