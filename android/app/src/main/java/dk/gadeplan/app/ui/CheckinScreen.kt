// The check-in before a home visit alone (or an approach after a high Brøset score): where, the
// watcher chosen from the roster, the minutes as large chips; once started, the due time, more
// time, and "Ude igen" with the worker's code (the duress code looks the same here). With no data
// the SMS to the watcher, composed by the core, opens in the phone's SMS app. The rules (one open
// check-in, the watcher on the roster, the codes, the text) are the core's; this screen only asks.

package dk.gadeplan.app.ui

import android.content.Intent
import android.net.Uri
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedButton
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.ui.unit.dp
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.app.sync.SyncScheduler
import dk.gadeplan.core.CheckinEndInput
import dk.gadeplan.core.CheckinExtensionInput
import dk.gadeplan.core.CheckinInput
import dk.gadeplan.core.CheckinMessageKind
import dk.gadeplan.core.CheckinReason
import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.NewEntry

/** `person` the citizen visited, if known (their Brøset check decides "high risk"). */
@Composable
fun CheckinScreen(app: GadeplanApp, person: String?, done: () -> Unit) {
    val store = app.store() ?: return
    val context = LocalContext.current
    val me = store.identity().worker
    var refresh by remember { mutableStateOf(0) }
    val open = remember(refresh) { store.checkins().firstOrNull { it.worker == me && it.endedAt == null } }
    var error by remember { mutableStateOf<String?>(null) }
    fun sms(kind: CheckinMessageKind) {
        try {
            val message = store.checkinMessage(null, kind)
            // The watcher's number is in the phone's contacts, not in Gadeplan: the worker picks it.
            val intent = Intent(Intent.ACTION_SENDTO, Uri.parse("smsto:")).putExtra("sms_body", message.text)
            context.startActivity(intent)
        } catch (e: GadeplanException) {
            error = e.message
        }
    }
    fun record(entry: NewEntry) {
        try {
            store.record(entry)
            SyncScheduler.syncNow(context) // at once, when there is a connection
            error = null
            refresh++
        } catch (e: GadeplanException) {
            error = e.message
        }
    }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Text(Labels.ui("Tjek-ind", "Check-in"), style = MaterialTheme.typography.titleLarge)
        if (open == null) {
            var place by remember { mutableStateOf("") }
            var watcher by remember { mutableStateOf<String?>(null) }
            var minutes by remember { mutableStateOf("45") }
            val reasons = Labels.instruments.safety.checkinReasons
            var reason by remember { mutableStateOf(reasons.first().code) }
            OutlinedTextField(place, { place = it }, label = { Text(Labels.ui("Hvor", "Where")) }, modifier = Modifier.fillMaxWidth())
            Text(Labels.ui("Hvem holder øje", "Who watches"), style = MaterialTheme.typography.titleMedium)
            val colleagues = (store.roster() ?: emptyList()).filter { it != me }
            Choices(colleagues.map { dk.gadeplan.core.Label(it, it, it) }, watcher) { watcher = it }
            Text(Labels.ui("Minutter", "Minutes"), style = MaterialTheme.typography.titleMedium)
            Choices(listOf("30", "45", "60", "90").map { dk.gadeplan.core.Label(it, it, it) }, minutes) { minutes = it }
            Choices(reasons, reason) { reason = it }
            ErrorLine(error)
            Button(
                enabled = place.isNotBlank() && watcher != null,
                modifier = Modifier.fillMaxWidth().heightIn(min = 64.dp),
                onClick = {
                    // The core's vocabulary lists its codes in the enum's order.
                    val picked = CheckinReason.values()[reasons.indexOfFirst { it.code == reason }]
                    record(NewEntry.CheckinStarted(CheckinInput(place, watcher!!, minutes.toUInt(), picked, person)))
                },
            ) { Text(Labels.ui("Start tjek-ind", "Start check-in")) }
        } else {
            var code by remember { mutableStateOf("") }
            Text(open.place, style = MaterialTheme.typography.headlineSmall)
            Text(Labels.ui("Senest ude kl. ", "Out by ") + Times.local(open.dueAt))
            Text(Labels.ui("${open.watcher} holder øje", "${open.watcher} is watching"))
            Choices(listOf("15", "30").map { dk.gadeplan.core.Label(it, "+$it min", "+$it min") }, null) { more ->
                record(NewEntry.CheckinExtended(CheckinExtensionInput(open.id, more.toUInt())))
            }
            OutlinedTextField(
                code, { code = it },
                label = { Text(Labels.ui("Din kode", "Your code")) },
                visualTransformation = PasswordVisualTransformation(),
                keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
                modifier = Modifier.fillMaxWidth(),
            )
            ErrorLine(error)
            Button(modifier = Modifier.fillMaxWidth().heightIn(min = 64.dp), onClick = {
                record(NewEntry.CheckinEnded(CheckinEndInput(open.id, code.ifBlank { null })))
                if (error == null) done()
            }) { Text(Labels.ui("Ude igen", "Out again")) }
            OutlinedButton(onClick = { sms(CheckinMessageKind.ENDED) }, modifier = Modifier.fillMaxWidth()) {
                Text(Labels.ui("Ingen data: send SMS til ${open.watcher}", "No data: text ${open.watcher}"))
            }
            OutlinedButton(onClick = { sms(CheckinMessageKind.STARTED) }, modifier = Modifier.fillMaxWidth()) {
                Text(Labels.ui("SMS: jeg går ind", "SMS: going in"))
            }
        }
    }
}

/** What the worker must know now (`Store.alerts`), at the top of the persons list: a colleague's
 * overdue check-in with "Jeg tager den" (take charge), or their own due soon, overdue or not yet
 * sent. Red for a colleague, the words the core gives. */
@Composable
fun AlertsPanel(app: GadeplanApp, openCheckin: () -> Unit) {
    val store = app.store() ?: return
    val context = LocalContext.current
    var refresh by remember { mutableStateOf(0) }
    val alerts = remember(refresh) { runCatching { store.alerts() }.getOrDefault(emptyList()) }
    var error by remember { mutableStateOf<String?>(null) }
    alerts.forEach { alert ->
        val colleague = alert.kind == dk.gadeplan.core.AlertKind.COLLEAGUE_OVERDUE ||
            alert.kind == dk.gadeplan.core.AlertKind.COLLEAGUE_DURESS
        Column(Modifier.fillMaxWidth().padding(8.dp)) {
            Text(
                Labels.text(alert.kindLabel) + ": " + alert.worker + ", " + alert.place,
                color = if (colleague) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.primary,
                style = MaterialTheme.typography.titleMedium,
            )
            alert.acknowledgedBy?.let { Text(Labels.ui("$it har taget den", "$it has taken charge")) }
            if (colleague && alert.acknowledgedBy == null) {
                Button(modifier = Modifier.fillMaxWidth().heightIn(min = 56.dp), onClick = {
                    try {
                        store.record(NewEntry.CheckinAcknowledged(dk.gadeplan.core.CheckinAcknowledgementInput(alert.checkin)))
                        SyncScheduler.syncNow(context)
                        refresh++
                    } catch (e: GadeplanException) {
                        error = e.message
                    }
                }) { Text(Labels.ui("Jeg tager den", "I take charge")) }
            } else if (!colleague) {
                OutlinedButton(onClick = openCheckin) { Text(Labels.ui("Åbn tjek-ind", "Open check-in")) }
            }
        }
    }
    ErrorLine(error)
}
