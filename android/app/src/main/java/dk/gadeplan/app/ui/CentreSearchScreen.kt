// Finding a citizen whose older history is held at the centre, not on the phone (docs/privacy.md:
// a citizen the centre released leaves the phones; the banner counts them): online only, by a
// part of the nickname (searchCentre answers only the team's released citizens, and the centre
// logs the count, never the words), then "Hent historik" (fetchHistory) brings their whole
// history back onto this phone, where it stays for a week, longer if something is recorded, and
// opens the person. Offline, the screen says so and offers nothing that would fail.

package dk.gadeplan.app.ui

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Route
import dk.gadeplan.core.CitizenAtCentre

@Composable
fun CentreSearchScreen(main: Route.Main, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "centresearch") { StoreModel<Unit>(app, null) }
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    val online by app.connectivity.online.collectAsStateWithLifecycle()
    var alias by rememberSaveable { mutableStateOf("") }
    // The answer is not kept over process death: it is the centre's, and asked again in a tap.
    var found by remember { mutableStateOf<List<CitizenAtCentre>?>(null) }

    Screen(title = ui("Søg på centret", "Search the centre"), onBack = go::back) {
        Form {
            Text(
                ui(
                    "Borgere, der ikke er mødt længe, ligger kun på centret. Søg på en del af kaldenavnet, og hent historikken, når du møder en af dem igen. Kræver forbindelse.",
                    "Citizens not met for a long time are held only at the centre. Search by a part of the nickname, and fetch the history when you meet one of them again. Needs a connection.",
                ),
                style = MaterialTheme.typography.bodySmall,
            )
            if (!online) Text(ui("Ingen forbindelse – søgning er ikke mulig nu", "No connection – searching is not possible now"), color = MaterialTheme.colorScheme.error)
            Field(alias, { alias = it }, ui("Kaldenavn (en del af det)", "Nickname (a part of it)"))
            ErrorLine(error)
            BigButton(ui("Søg", "Search"), enabled = online && alias.isNotBlank(), saving = saving) {
                model.online({ store -> store.searchCentre(app.transport(main.centre), alias.trim()) }) { found = it }
            }
            found?.let { list ->
                Section(ui("Fundet på centret", "Found at the centre"))
                if (list.isEmpty()) Text(ui("Ingen fundet", "None found"))
                list.forEach { citizen ->
                    Text(citizen.alias, style = MaterialTheme.typography.titleMedium)
                    SecondButton(ui("Hent historik for ", "Fetch the history of ") + citizen.alias, enabled = online && !saving) {
                        model.online({ store -> store.fetchHistory(app.transport(main.centre), citizen.citizen) }) {
                            app.changed()
                            go.person(citizen.citizen)
                        }
                    }
                }
            }
        }
    }
}
