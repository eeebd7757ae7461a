// Settings and sign-out (M4, M2, M6, M11). Sign-out, "Afmeld og slet data fra telefonen", for
// handing the phone on or leaving the job: how many records have not reached the centre, a
// final sync offered first (run here, its outcome shown), then after a confirmation the wipe
// (GadeplanApp.wipe: work cancelled, store, key file and Keystore alias deleted) and back to
// enrolment. Also: the worker's check-in codes (normal and duress), a new device token (online:
// rotateToken, docs/keys.md), a new key for the store (StoreKeyRotation.kt), whether
// notifications are allowed, whether the phone has a screen lock (the app lock relies on it),
// and the theme, which follows the phone's dark mode.

package dk.gadeplan.app.ui

import android.content.Intent
import android.os.Build
import android.provider.Settings
import androidx.biometric.BiometricManager
import androidx.biometric.BiometricManager.Authenticators.BIOMETRIC_WEAK
import androidx.biometric.BiometricManager.Authenticators.DEVICE_CREDENTIAL
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.rememberCoroutineScope
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Route
import dk.gadeplan.app.logic.SyncResult
import dk.gadeplan.app.logic.problemText
import dk.gadeplan.core.SyncStatus
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext

@Composable
fun SettingsScreen(main: Route.Main, go: Go) {
    val app = gadeplanApp()
    val context = LocalContext.current
    val scope = rememberCoroutineScope()
    val model = viewModel(key = "settings") { StoreModel(app) { store -> store.syncStatus() } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var code by rememberSaveable { mutableStateOf("") }
    var duress by rememberSaveable { mutableStateOf("") }
    var codesSaved by remember { mutableStateOf(false) }
    var syncing by remember { mutableStateOf(false) }
    var syncOutcome by remember { mutableStateOf<String?>(null) }
    var confirm by remember { mutableStateOf(false) }
    var wiping by remember { mutableStateOf(false) }
    var wipeError by remember { mutableStateOf<String?>(null) }

    Screen(title = ui("Indstillinger", "Settings"), onBack = go::back) {
        Loaded(state, retry = model::reload) { status: SyncStatus ->
            Form {
                Text("${main.worker} · ${main.team}", style = MaterialTheme.typography.titleMedium)
                Text(main.centre, style = MaterialTheme.typography.bodySmall)

                Section(ui("Koder til tjek-ind", "Check-in codes"))
                Text(ui(
                    "Koden afslutter et tjek-ind. Nødkoden gør det samme på skærmen, men centret slår alarm.",
                    "The code ends a check-in. The duress code does the same on the screen, but the centre raises the alarm.",
                ), style = MaterialTheme.typography.bodySmall)
                OutlinedTextField(
                    code, { code = it.filter(Char::isDigit).take(12) },
                    label = { Text(ui("Kode (4–12 cifre)", "Code (4–12 digits)")) },
                    visualTransformation = PasswordVisualTransformation(),
                    keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
                    modifier = Modifier.fillMaxWidth(),
                )
                OutlinedTextField(
                    duress, { duress = it.filter(Char::isDigit).take(12) },
                    label = { Text(ui("Nødkode (en anden)", "Duress code (a different one)")) },
                    visualTransformation = PasswordVisualTransformation(),
                    keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
                    modifier = Modifier.fillMaxWidth(),
                )
                ErrorLine(error)
                if (codesSaved) Text(ui("Koderne er gemt", "The codes are saved"))
                SecondButton(ui("Gem koder", "Save codes"), enabled = code.length >= 4 && duress.length >= 4 && !saving) {
                    model.save({ store -> store.setCheckinCodes(code, duress) }) {
                        code = ""
                        duress = ""
                        codesSaved = true
                    }
                }

                Section(ui("Telefonen", "The phone"))
                val locked = BiometricManager.from(context).canAuthenticate(BIOMETRIC_WEAK or DEVICE_CREDENTIAL) == BiometricManager.BIOMETRIC_SUCCESS
                if (!locked) {
                    Text(ui("Telefonen har ingen skærmlås: appen kan ikke låses. Slå skærmlås til.", "The phone has no screen lock: the app cannot be locked. Turn a screen lock on."), color = MaterialTheme.colorScheme.error)
                }
                if (!app.notifier.allowed()) {
                    Text(ui("Notifikationer er slået fra: du får ikke besked om tjek-ind og synkronisering.", "Notifications are off: you are not told about check-ins and sync."), color = MaterialTheme.colorScheme.error)
                    SecondButton(ui("Åbn indstillinger for notifikationer", "Open notification settings")) {
                        val intent = if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.O) {
                            Intent(Settings.ACTION_APP_NOTIFICATION_SETTINGS).putExtra(Settings.EXTRA_APP_PACKAGE, context.packageName)
                        } else {
                            Intent(Settings.ACTION_APPLICATION_DETAILS_SETTINGS, android.net.Uri.fromParts("package", context.packageName, null))
                        }
                        context.startActivity(intent)
                    }
                }
                Text(ui("Mørkt tema følger telefonens indstilling.", "Dark theme follows the phone's setting."), style = MaterialTheme.typography.bodySmall)

                TokenRotation(main, model)
                StoreKeyRotation()

                Section(ui("Afmeld telefonen", "Sign out"))
                Text(
                    ui(
                        "${status.pending} optegnelser er ikke sendt til centret, ${status.rejected} er afvist.",
                        "${status.pending} records have not been sent to the centre, ${status.rejected} were refused.",
                    ),
                    color = if (status.pending > 0uL) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface,
                )
                syncOutcome?.let { Text(it) }
                SecondButton(ui("Synkronisér først", "Sync first"), enabled = !syncing && !wiping) {
                    if (syncing) return@SecondButton
                    syncing = true
                    syncOutcome = null
                    scope.launch {
                        val result = withContext(Dispatchers.IO) { app.coordinator().syncOnce() }
                        syncOutcome = when (result) {
                            is SyncResult.Done -> ui("Synkroniseret", "Synced")
                            // The problem in the worker's words (problemText), never the log's raw detail or an enum name.
                            is SyncResult.Retry -> ui("Ikke synkroniseret: ", "Not synced: ") + problemText(result.problem, app.language)
                            is SyncResult.Stop -> ui("Ikke synkroniseret: ", "Not synced: ") + problemText(result.problem, app.language)
                            SyncResult.Busy -> ui("En synkronisering kører allerede", "A sync is already running")
                        }
                        syncing = false
                        app.changed()
                        // Revoked, or the key or enrolment gone: the route decides (as after the worker's sync).
                        if (result is SyncResult.Stop) app.refreshRoute()
                    }
                }
                wipeError?.let { ErrorLine(it) }
                BigButton(ui("Afmeld og slet data fra telefonen", "Sign out and delete the data from the phone"), enabled = !syncing, saving = wiping) {
                    confirm = true
                }
                if (confirm) {
                    AlertDialog(
                        onDismissRequest = { confirm = false },
                        text = {
                            Text(
                                if (status.pending > 0uL) {
                                    ui("${status.pending} optegnelser er ikke sendt og går tabt. Slet alligevel?", "${status.pending} records have not been sent and will be lost. Delete anyway?")
                                } else {
                                    ui("Alt er sendt til centret. Data slettes fra telefonen.", "Everything is at the centre. The data is deleted from the phone.")
                                },
                            )
                        },
                        confirmButton = {
                            TextButton(onClick = {
                                if (wiping) return@TextButton
                                confirm = false
                                wiping = true
                                scope.launch {
                                    wipeError = app.scope.async { app.wipe() }.await() // the wipe outlives this screen
                                    wiping = false
                                }
                            }) { Text(ui("Slet", "Delete")) }
                        },
                        dismissButton = { TextButton(onClick = { confirm = false }) { Text(ui("Fortryd", "Cancel")) } },
                    )
                }
            }
        }
    }
}

/**
 * A new device token (docs/keys.md, "Rotating a device token"): the centre keeps the old one
 * working until the phone first uses the new, and the phone keeps the new one only once the
 * answer arrived, so a rotation lost on the way does no harm. Online only.
 */
@Composable
private fun TokenRotation(main: Route.Main, model: StoreModel<SyncStatus>) {
    val app = gadeplanApp()
    val saving by model.saving.collectAsStateWithLifecycle()
    val online by app.connectivity.online.collectAsStateWithLifecycle()
    var rotated by remember { mutableStateOf(false) }
    Section(ui("Telefonens adgangsnøgle", "The phone's access token"))
    Text(
        ui(
            "Skift telefonens adgangsnøgle til centret, fx hvis den kan være kopieret. Data og tilmelding bliver. Kræver forbindelse.",
            "Replace the phone's access token at the centre, e.g. if it may have been copied. Data and enrolment stay. Needs a connection.",
        ),
        style = MaterialTheme.typography.bodySmall,
    )
    if (rotated) Text(ui("Ny adgangsnøgle er gemt", "A new access token is saved"))
    if (!online) Text(ui("Ingen forbindelse lige nu", "No connection right now"), color = MaterialTheme.colorScheme.error)
    SecondButton(ui("Skift adgangsnøgle", "Replace the access token"), enabled = online && !saving) {
        rotated = false
        model.online({ store -> store.rotateToken(app.transport(main.centre)) }) { rotated = true }
    }
}
