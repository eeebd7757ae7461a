// "Skift telefonens nøgle" in the settings (docs/keys.md, "Rekeying the phone's store"): the
// store re-encrypted under a new random key, e.g. when the old one may have been copied with the
// phone's files. The order that survives a crash is PhoneStore.rekey's; here only the button, a
// sentence saying what it does, its progress and its outcome. No connection is needed; a sync
// under way finishes first. Guarded like a save (one at a time, the button disabled meanwhile),
// with its own model so its error shows beside it.

package dk.gadeplan.app.ui

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel

@Composable
fun StoreKeyRotation() {
    val app = gadeplanApp()
    val model = viewModel(key = "settings-store-key") { StoreModel<Unit>(app, null) }
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var done by remember { mutableStateOf(false) }
    Section(ui("Telefonens nøgle", "The phone's key"))
    Text(
        ui(
            "Krypterer alt, hvad telefonen har gemt, med en ny nøgle, fx hvis den gamle kan være kopieret sammen med telefonens filer. Data og tilmelding bliver. Det kan tage lidt tid; en synkronisering, der kører, gøres færdig først.",
            "Encrypts everything the phone holds with a new key, e.g. if the old one may have been copied with the phone's files. Data and enrolment stay. It can take a while; a sync under way finishes first.",
        ),
        style = MaterialTheme.typography.bodySmall,
    )
    if (saving) Text(ui("Skifter nøglen …", "Replacing the key …"))
    if (done) Text(ui("Telefonens data er krypteret med en ny nøgle", "The phone's data is encrypted with a new key"))
    ErrorLine(error)
    SecondButton(ui("Skift telefonens nøgle", "Replace the phone's key"), enabled = !saving) {
        done = false
        model.act({ _ -> app.phone.rekey() }) { done = true }
    }
}
