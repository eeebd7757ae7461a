// The screens the app can start on besides enrolment and the app itself (A8, A11, A12, M5):
// a spinner while the key is unwrapped and the store opened; a revoked phone ("the centre has
// revoked this phone; its data is deleted") with the way on, a reset and a new enrolment; a
// lost key ("this phone can no longer open its data"), with how many records were not sent
// and "Nulstil og tilmeld igen" behind a confirmation; and a store the app cannot open now (a
// newer app's store, a storage error): said, with "Prøv igen", never a crash loop.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

@Composable
fun Spinner() {
    Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) {
        CircularProgressIndicator(Modifier.semantics { contentDescription = ui("Åbner", "Opening") })
    }
}

@Composable
fun RevokedScreen(how: String) {
    Screen(title = ui("Telefonen er tilbagekaldt", "This phone is revoked")) {
        Form {
            Text(
                ui(
                    "Centret har tilbagekaldt telefonen ($how), og dens data er slettet. Det, der var sendt, har centret.",
                    "The centre has revoked this phone ($how), and its data is deleted. What was sent is at the centre.",
                ),
                style = MaterialTheme.typography.bodyLarge,
            )
            Text(ui("For at bruge telefonen igen skal den tilmeldes med en ny kode fra centret.", "To use the phone again, enrol it with a new code from the centre."))
            ResetButton(ui("Nulstil og tilmeld igen", "Reset and enrol again"), confirm = null)
        }
    }
}

@Composable
fun KeyLostScreen(detail: String) {
    val app = gadeplanApp()
    var unsent by remember { mutableStateOf<Long?>(null) }
    LaunchedEffect(Unit) { unsent = withContext(Dispatchers.IO) { app.phone.unsent() } }
    Screen(title = ui("Telefonen kan ikke åbne sine data", "The phone cannot open its data")) {
        Form {
            Text(
                ui(
                    "Nøglen til telefonens data er væk (fx efter en nulstilling af telefonens sikkerhed). Ingen kan læse dataene længere. Det, der var sendt, har centret.",
                    "The key to the phone's data is gone (e.g. after a reset of the phone's security). Nobody can read the data any more. What was sent is at the centre.",
                ),
                style = MaterialTheme.typography.bodyLarge,
            )
            Text(
                unsent?.let { ui("$it optegnelser blev ikke sendt og går tabt.", "$it records were not sent and will be lost.") }
                    ?: ui("Hvor mange optegnelser der ikke blev sendt, kan ikke læses.", "How many records were not sent cannot be read."),
                color = MaterialTheme.colorScheme.error,
            )
            Text(detail, style = MaterialTheme.typography.bodySmall)
            // The Keystore can fail for a moment (just after a restart): try again before anything is deleted.
            SecondButton(ui("Prøv igen", "Try again")) { app.refreshRoute() }
            ResetButton(
                ui("Nulstil og tilmeld igen", "Reset and enrol again"),
                confirm = ui("Data på telefonen slettes for altid. Fortsæt?", "The data on the phone is deleted for good. Continue?"),
            )
        }
    }
}

@Composable
fun BrokenScreen(message: String) {
    val app = gadeplanApp()
    Screen(title = ui("Appen kan ikke åbne sine data lige nu", "The app cannot open its data right now")) {
        Form {
            Text(message, style = MaterialTheme.typography.bodyLarge)
            Text(
                ui(
                    "Intet er slettet. Frigør plads eller opdatér appen, og prøv igen. Hjælper det ikke, så kontakt centret.",
                    "Nothing is deleted. Free some space or update the app, and try again. If that does not help, contact the centre.",
                ),
            )
            BigButton(ui("Prøv igen", "Try again")) { app.refreshRoute() }
        }
    }
}

/** Wipes the phone's store and key and goes back to enrolment; asks first when `confirm` is given. */
@Composable
fun ResetButton(text: String, confirm: String?) {
    val app = gadeplanApp()
    val scope = rememberCoroutineScope()
    var asking by remember { mutableStateOf(false) }
    var working by remember { mutableStateOf(false) }
    var error by remember { mutableStateOf<String?>(null) }
    fun reset() {
        if (working) return // a second tap before the button shows it is working
        working = true
        scope.launch {
            error = app.scope.async { app.wipe() }.await() // the wipe outlives this screen
            working = false
        }
    }
    ErrorLine(error)
    BigButton(text, saving = working) { if (confirm != null) asking = true else reset() }
    if (asking && confirm != null) {
        AlertDialog(
            onDismissRequest = { asking = false },
            text = { Text(confirm) },
            confirmButton = { TextButton(onClick = { asking = false; reset() }) { Text(ui("Slet og nulstil", "Delete and reset")) } },
            dismissButton = { TextButton(onClick = { asking = false }) { Text(ui("Fortryd", "Cancel")) } },
        )
    }
}
