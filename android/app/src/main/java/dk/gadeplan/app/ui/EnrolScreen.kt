// First start: the worker's name, the centre's address and the one-time code from the centre,
// or the enrolment link the centre shows as a QR code (the camera opens it in the app; the core
// reads it, `parseEnrolLink`). The store is created here (its key made and wrapped by the
// Keystore), then enrolled.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.app.sync.HttpUrlConnectionTransport
import dk.gadeplan.app.sync.SyncScheduler
import dk.gadeplan.core.GadeplanException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

@Composable
fun EnrolScreen(app: GadeplanApp, link: String?, done: () -> Unit) {
    val scanned = remember(link) { link?.let { runCatching { dk.gadeplan.core.parseEnrolLink(it) } } }
    var worker by remember { mutableStateOf("") }
    var centre by remember { mutableStateOf(scanned?.getOrNull()?.centre ?: "https://") }
    var code by remember { mutableStateOf(scanned?.getOrNull()?.code ?: "") }
    var error by remember { mutableStateOf<String?>(scanned?.exceptionOrNull()?.message) }
    var busy by remember { mutableStateOf(false) }
    val scope = rememberCoroutineScope()
    Column(Modifier.padding(16.dp)) {
        Text(Labels.ui("Tilmeld telefonen", "Enrol this phone"))
        OutlinedTextField(worker, { worker = it }, label = { Text(Labels.ui("Dit navn", "Your name")) }, modifier = Modifier.fillMaxWidth())
        OutlinedTextField(centre, { centre = it }, label = { Text(Labels.ui("Centrets adresse", "Centre address")) }, modifier = Modifier.fillMaxWidth())
        OutlinedTextField(code, { code = it }, label = { Text(Labels.ui("Kode fra centret", "Code from the centre")) }, modifier = Modifier.fillMaxWidth())
        ErrorLine(error)
        Button(enabled = !busy && worker.isNotBlank() && code.isNotBlank(), onClick = {
            busy = true
            scope.launch {
                error = withContext(Dispatchers.IO) {
                    try {
                        val store = app.store() ?: app.createStore(worker.trim())
                        store.enrol(HttpUrlConnectionTransport(centre.trim()), centre.trim(), code)
                        null
                    } catch (e: GadeplanException) {
                        e.message
                    }
                }
                busy = false
                if (error == null) {
                    SyncScheduler.syncNow(app)
                    done()
                }
            }
        }) { Text(Labels.ui("Tilmeld", "Enrol")) }
    }
}
