// Enrolment (A19, A20, M1): the worker's name, the centre's https address and the one-time code
// from the centre, typed with fitting keyboards, or filled from the QR code the centre shows
// (scanned with Play services' code scanner, which needs no camera permission, or opened from
// the camera app as gadeplan://enrol?…; the core reads the link). The address is checked as it
// is typed (https only; http only for the emulator's host). PhoneStore.enrol creates the store
// (again, if an unenrolled one has another name), enrols over the network and says where to go;
// any failure is shown in the worker's language and the form stays filled.

package dk.gadeplan.app.ui

import androidx.compose.foundation.text.KeyboardActions
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.input.ImeAction
import androidx.compose.ui.text.input.KeyboardCapitalization
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.lifecycle.ViewModel
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewModelScope
import androidx.lifecycle.viewmodel.compose.viewModel
import com.google.mlkit.vision.barcode.common.Barcode
import com.google.mlkit.vision.codescanner.GmsBarcodeScannerOptions
import com.google.mlkit.vision.codescanner.GmsBarcodeScanning
import dk.gadeplan.app.BuildConfig
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.app.logic.Route
import dk.gadeplan.app.logic.checkCentreAddress
import dk.gadeplan.app.logic.describe
import dk.gadeplan.app.logic.enrolLinkFrom
import dk.gadeplan.app.sync.HttpUrlConnectionTransport
import dk.gadeplan.app.sync.SyncScheduler
import dk.gadeplan.app.logic.SyncEvent
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

class EnrolModel(private val app: GadeplanApp) : ViewModel() {
    private val busy = MutableStateFlow(false)
    val working: StateFlow<Boolean> = busy.asStateFlow()
    private val failure = MutableStateFlow<String?>(null)
    val error: StateFlow<String?> = failure.asStateFlow()

    fun enrol(worker: String, centre: String, code: String) {
        if (busy.value) return
        busy.value = true
        failure.value = null
        viewModelScope.launch {
            try {
                val next = withContext(Dispatchers.IO) {
                    app.phone.enrol(centre, code, worker, HttpUrlConnectionTransport(centre, BuildConfig.VERSION_NAME))
                }
                SyncScheduler.on(app, SyncEvent.SyncNow, next)
                // The worker is at the phone and just enrolled it: no lock prompt on top of that.
                app.unlocked()
                app.refreshRoute()
            } catch (e: Exception) {
                failure.value = describe(e, app.language)
            } finally {
                busy.value = false
            }
        }
    }

    fun showError(text: String?) {
        failure.value = text
    }
}

@Composable
fun EnrolScreen(link: String?, storeExists: Boolean) {
    val app = gadeplanApp()
    val context = LocalContext.current
    val model = viewModel { EnrolModel(app) }
    val working by model.working.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var worker by rememberSaveable { mutableStateOf("") }
    var centre by rememberSaveable { mutableStateOf("https://") }
    var code by rememberSaveable { mutableStateOf("") }

    fun fill(text: String) {
        val parsed = enrolLinkFrom(text)
        if (parsed == null) {
            model.showError(ui("QR-koden er ikke et tilmeldingslink fra centret.", "The QR code is not an enrolment link from the centre."))
        } else {
            centre = parsed.centre
            code = parsed.code
            model.showError(null)
        }
    }
    // A link fills the form once: not again after a rotation (the activity's intent still holds
    // it), which would undo what the worker corrected by hand since.
    var filledFrom by rememberSaveable { mutableStateOf<String?>(null) }
    LaunchedEffect(link) {
        if (link != null && link != filledFrom) {
            filledFrom = link
            fill(link)
        }
    }

    val addressProblem = checkCentreAddress(centre.trim(), app.language)
    val ready = worker.isNotBlank() && code.isNotBlank() && addressProblem == null
    fun submit() {
        if (ready) model.enrol(worker.trim(), centre.trim(), code.trim())
    }

    Screen(title = ui("Tilmeld telefonen", "Enrol this phone")) {
        Form {
            if (storeExists) {
                Text(ui("Telefonen er ikke tilmeldt endnu. Det, der er optaget, bliver på telefonen.", "The phone is not enrolled yet. What was recorded stays on the phone."))
            }
            SecondButton(ui("Scan QR-kode fra centret", "Scan the centre's QR code")) {
                val options = GmsBarcodeScannerOptions.Builder().setBarcodeFormats(Barcode.FORMAT_QR_CODE).build()
                GmsBarcodeScanning.getClient(context, options).startScan()
                    .addOnSuccessListener { barcode -> barcode.rawValue?.let { fill(it) } }
                    .addOnFailureListener { e -> model.showError(describe(e, app.language)) }
            }
            OutlinedTextField(
                worker, { worker = it },
                label = { Text(ui("Dit navn", "Your name")) },
                singleLine = true,
                keyboardOptions = KeyboardOptions(capitalization = KeyboardCapitalization.Words, imeAction = ImeAction.Next),
                modifier = Modifier.fillMaxWidth(),
            )
            OutlinedTextField(
                centre, { centre = it },
                label = { Text(ui("Centrets adresse", "Centre address")) },
                singleLine = true,
                isError = addressProblem != null && centre.length > "https://".length,
                supportingText = { if (addressProblem != null && centre.length > "https://".length) Text(addressProblem) },
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Uri, autoCorrectEnabled = false, imeAction = ImeAction.Next),
                modifier = Modifier.fillMaxWidth(),
            )
            OutlinedTextField(
                code, { code = it },
                label = { Text(ui("Kode fra centret", "Code from the centre")) },
                singleLine = true,
                keyboardOptions = KeyboardOptions(
                    capitalization = KeyboardCapitalization.Characters,
                    autoCorrectEnabled = false,
                    keyboardType = KeyboardType.Ascii,
                    imeAction = ImeAction.Done,
                ),
                keyboardActions = KeyboardActions(onDone = { submit() }),
                modifier = Modifier.fillMaxWidth(),
            )
            ErrorLine(error)
            BigButton(ui("Tilmeld", "Enrol"), enabled = ready, saving = working) { submit() }
            Text(
                ui("Telefonen skal have forbindelse til centret for at blive tilmeldt.", "The phone needs a connection to the centre to enrol."),
                style = MaterialTheme.typography.bodySmall,
            )
        }
    }
}
