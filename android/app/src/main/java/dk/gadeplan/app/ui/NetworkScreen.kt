// The citizen's network (issue 18): who they are (role, name, organisation) and the numbers the
// person screen puts one tap from the dialler in a crisis. Noting a member is one entry; the
// core checks the phone number's form. Offline: all from the store.

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
import dk.gadeplan.core.NetworkInput
import dk.gadeplan.core.NetworkRole
import dk.gadeplan.core.NewEntry

@Composable
fun NetworkScreen(person: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "network-$person") { StoreModel(app) { store -> store.person(person).network } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var role by rememberSaveable { mutableStateOf<String?>(null) }
    var name by rememberSaveable { mutableStateOf("") }
    var organisation by rememberSaveable { mutableStateOf("") }
    var phone by rememberSaveable { mutableStateOf("") }

    Screen(title = ui("Netværk", "Network"), onBack = go::back) {
        Loaded(state, retry = model::reload) { network ->
            Form {
                if (network.isEmpty()) Text(ui("Ingen i netværket endnu", "No one in the network yet"))
                network.forEach { entry ->
                    val m = entry.member
                    Text(listOfNotNull(m.roleLabel.text(), m.name, m.organisation, m.phone).joinToString(" · "))
                }
                Section(ui("Tilføj til netværket", "Add to the network"))
                Text(ui("Rolle", "Role"), style = MaterialTheme.typography.titleSmall)
                Choices(Words.instruments.course.networkRoles, role) { role = it }
                Field(name, { name = it }, ui("Navn", "Name"))
                Field(organisation, { organisation = it }, ui("Organisation (valgfrit)", "Organisation (optional)"))
                Field(phone, { phone = it }, ui("Telefon (valgfrit)", "Phone (optional)"), phone = true)
                ErrorLine(error)
                val picked = enumOf<NetworkRole>(role)
                BigButton(ui("Gem", "Save"), enabled = picked != null && name.isNotBlank(), saving = saving) {
                    val r = picked ?: return@BigButton
                    model.save({ store -> store.record(NewEntry.NetworkNoted(NetworkInput(person, r, name.trim(), organisation.orNull(), phone.orNull(), null))) }) {
                        role = null; name = ""; organisation = ""; phone = ""
                    }
                }
            }
        }
    }
}
