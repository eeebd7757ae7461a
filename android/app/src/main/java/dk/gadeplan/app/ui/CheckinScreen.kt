// The check-in before a home visit alone or an approach after a high Brøset score: where, the
// watcher chosen from the roster, the minutes as large chips, the reason; once started, when the
// worker must be out, more time, and "Ude igen" with the worker's code (the duress code looks
// exactly the same here, while the centre raises the alarm: the codes are set in Settings).
// With no data, the SMS to the watcher, worded by the core, opens in the phone's SMS app (the
// watcher's number is in the phone's contacts, not in Gadeplan). The rules (one open check-in,
// the watcher on the roster, the codes) are the core's; this screen asks, off the main thread,
// and each action is saved once and synced soon after. Starting or extending schedules the
// worker's own reminder at the due time, ending cancels it (sync/CheckinDueWorker: offline too).

package dk.gadeplan.app.ui

import android.content.Intent
import android.net.Uri
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Times
import dk.gadeplan.core.CheckinEndInput
import dk.gadeplan.core.CheckinExtensionInput
import dk.gadeplan.core.CheckinInput
import dk.gadeplan.core.CheckinMessage
import dk.gadeplan.core.CheckinMessageKind
import dk.gadeplan.core.CheckinReason
import dk.gadeplan.core.CheckinView
import dk.gadeplan.core.Store
import dk.gadeplan.app.sync.CheckinDue
import dk.gadeplan.core.Label
import dk.gadeplan.core.NewEntry

/** The worker's own open check-in, as the store has it now (its due time for the reminder). */
private fun ownOpen(store: Store): CheckinView? {
    val me = store.identity().worker
    return store.checkins().firstOrNull { it.worker == me && it.endedAt == null }
}

data class CheckinState(val me: String, val open: CheckinView?, val colleagues: List<String>)

@Composable
fun CheckinScreen(person: String?, go: Go) {
    val app = gadeplanApp()
    val context = LocalContext.current
    val model = viewModel(key = "checkin-$person") {
        StoreModel(app) { store ->
            val me = store.identity().worker
            CheckinState(
                me = me,
                open = store.checkins().firstOrNull { it.worker == me && it.endedAt == null },
                colleagues = store.roster().orEmpty().filter { it != me },
            )
        }
    }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()

    fun sms(checkin: String?, kind: CheckinMessageKind) {
        model.read({ store -> store.checkinMessage(checkin, kind) }) { message: CheckinMessage ->
            val intent = Intent(Intent.ACTION_SENDTO, Uri.parse("smsto:")).putExtra("sms_body", message.text)
            try {
                context.startActivity(intent)
            } catch (e: android.content.ActivityNotFoundException) {
                model.showError(ui("Telefonen har ingen SMS-app", "The phone has no SMS app"))
            }
        }
    }

    Screen(title = ui("Tjek-ind", "Check-in"), onBack = go::back) {
        Loaded(state, retry = model::reload) { now ->
            val open = now.open
            if (open == null) {
                StartCheckin(now, person, saving, error) { input ->
                    model.save({ store -> store.record(NewEntry.CheckinStarted(input)); ownOpen(store) }) { started -> started?.let { CheckinDue.started(context, it) } }
                }
            } else {
                Form {
                    Text(open.place, style = MaterialTheme.typography.headlineSmall)
                    Text(ui("Senest ude kl. ", "Out by ") + Times.local(open.dueAt), style = MaterialTheme.typography.titleMedium)
                    Text(ui("${open.watcher} holder øje", "${open.watcher} is watching"))
                    Section(ui("Mere tid", "More time"))
                    Choices(listOf("15", "30").map { Label(it, "+$it min", "+$it min") }, null) { more ->
                        model.save({ store -> store.record(NewEntry.CheckinExtended(CheckinExtensionInput(checkin = open.id, minutes = more.toUInt()))); ownOpen(store) }) { extended ->
                            extended?.let { CheckinDue.started(context, it) } // REPLACE: the new due time
                        }
                    }
                    var code by rememberSaveable { mutableStateOf("") }
                    OutlinedTextField(
                        code, { code = it },
                        label = { Text(ui("Din kode", "Your code")) },
                        visualTransformation = PasswordVisualTransformation(),
                        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
                        singleLine = true,
                        modifier = Modifier.fillMaxWidth(),
                    )
                    ErrorLine(error)
                    BigButton(ui("Ude igen", "Out again"), saving = saving) {
                        model.save({ store -> store.record(NewEntry.CheckinEnded(CheckinEndInput(checkin = open.id, code = code.trim().ifEmpty { null }))) }) {
                            CheckinDue.ended(context, open.id)
                            code = ""
                            go.back()
                        }
                    }
                    SecondButton(ui("Ingen data: SMS til ${open.watcher} om at jeg er ude", "No data: text ${open.watcher} that I am out")) {
                        sms(open.id, CheckinMessageKind.ENDED)
                    }
                    SecondButton(ui("SMS til ${open.watcher}: jeg går ind", "Text ${open.watcher}: going in")) {
                        sms(open.id, CheckinMessageKind.STARTED)
                    }
                }
            }
        }
    }
}

@Composable
private fun StartCheckin(now: CheckinState, person: String?, saving: Boolean, error: String?, start: (CheckinInput) -> Unit) {
    val reasons = Words.instruments.safety.checkinReasons
    var place by rememberSaveable { mutableStateOf("") }
    var watcher by rememberSaveable { mutableStateOf<String?>(null) }
    var minutes by rememberSaveable { mutableStateOf("45") }
    var reason by rememberSaveable { mutableStateOf(reasons.firstOrNull()?.code) }
    Form {
        OutlinedTextField(place, { place = it }, label = { Text(ui("Hvor", "Where")) }, modifier = Modifier.fillMaxWidth())
        Section(ui("Hvem holder øje", "Who watches"))
        if (now.colleagues.isEmpty()) {
            Text(ui("Holdets liste er ikke hentet endnu: synkronisér først.", "The team's roster has not arrived yet: sync first."), color = MaterialTheme.colorScheme.error)
        }
        Choices(now.colleagues.map { Label(it, it, it) }, watcher) { watcher = it }
        Section(ui("Minutter", "Minutes"))
        Choices(listOf("30", "45", "60", "90").map { Label(it, it, it) }, minutes) { minutes = it }
        Section(ui("Hvorfor", "Why"))
        Choices(reasons, reason) { reason = it }
        ErrorLine(error)
        val picked = enumOf<CheckinReason>(reason)
        val who = watcher
        BigButton(ui("Start tjek-ind", "Start check-in"), enabled = place.isNotBlank() && who != null && picked != null, saving = saving) {
            if (who == null || picked == null) return@BigButton
            start(CheckinInput(place = place.trim(), watcher = who, minutes = minutes.toUInt(), reason = picked, person = person))
        }
    }
}
