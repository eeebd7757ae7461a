// Corrections (M10): the journal is append-only, so a mistaken record is corrected (the original
// stays, the timeline shows both) or voided with a reason. Typed inputs, never JSON: the fields
// of each kind the core corrects (CorrectionForms.kt: every Correction variant), and for any
// record its time, as the worker reads it (local), typed on a keyboard with ':'. A void
// asks for the reason and a confirmation. The fields start from what the record says now. Only
// what the core takes is offered: "Ret" when the core says `canCorrect`, "Annullér" when `canVoid`.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.text.input.KeyboardType
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Times
import dk.gadeplan.core.Correction
import dk.gadeplan.core.CorrectionInput
import dk.gadeplan.core.TimelineItem
import java.time.LocalDateTime
import java.time.ZoneId
import java.time.format.DateTimeFormatter

private val localMinute: DateTimeFormatter = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")

/** "2026-11-23 14:05" in the phone's zone as RFC 3339 UTC, or null if it is not such a time. */
private fun utcOf(local: String): String? = try {
    LocalDateTime.parse(local.trim(), localMinute).atZone(ZoneId.systemDefault()).toInstant().toString()
} catch (e: Exception) {
    null
}

@Composable
fun CorrectionScreen(entry: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "correct-$entry") { StoreModel(app) { store -> store.entry(entry) } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var filled by rememberSaveable { mutableStateOf(false) }
    var time by rememberSaveable { mutableStateOf("") }
    var draft by rememberAnswers()
    var reason by rememberSaveable { mutableStateOf("") }
    var confirmVoid by rememberSaveable { mutableStateOf(false) }

    val loaded: TimelineItem? = state.valueOrNull()
    LaunchedEffect(loaded) {
        val item = loaded ?: return@LaunchedEffect
        if (filled) return@LaunchedEffect
        time = Times.local(item.occurredAt)
        draft = fixFields(item.content).associate { it.key to it.now }
        filled = true
    }

    Screen(title = ui("Ret eller annullér", "Correct or void"), onBack = go::back) {
        Loaded(state, retry = model::reload) { item ->
            Form {
                TimelineRow(item, open = null)
                if (item.voidedBy != null) {
                    Text(ui("Posten er annulleret.", "This record is voided."), style = MaterialTheme.typography.titleMedium)
                    return@Form
                }
                if (!item.canCorrect && !item.canVoid) {
                    Text(ui("Denne post kan ikke rettes eller annulleres.", "This record cannot be corrected or voided."), style = MaterialTheme.typography.titleMedium)
                    return@Form
                }
                if (item.canCorrect) {
                    Section(ui("Ret", "Correct"))
                    OutlinedTextField(
                        time, { time = it },
                        label = { Text(ui("Tidspunkt (åååå-mm-dd tt:mm)", "Time (yyyy-mm-dd hh:mm)")) },
                        isError = utcOf(time) == null,
                        // Text, not Number: many phones' number pads have no ':'.
                        keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Text),
                        modifier = Modifier.fillMaxWidth(),
                    )
                    fixFields(item.content).forEach { field -> FixFieldView(field, draft[field.key].orEmpty()) { draft = draft + (field.key to it) } }
                }
                OutlinedTextField(reason, { reason = it }, label = { Text(ui("Begrundelse", "Reason")) }, modifier = Modifier.fillMaxWidth())
                ErrorLine(error)
                if (item.canCorrect) {
                    BigButton(ui("Gem rettelse", "Save correction"), enabled = utcOf(time) != null, saving = saving) {
                        val newTime = utcOf(time)?.takeIf { time.trim() != Times.local(item.occurredAt) }
                        val why = reason.trim().ifEmpty { null }
                        val correction: Correction? = fixOf(item.content, draft)
                        model.save({ store ->
                            if (correction != null) store.correct(CorrectionInput(entry = item.id, correction = correction, occurredAt = newTime, reason = why))
                            else store.amend(item.id, "{}", newTime, why)
                        }) { go.back() }
                    }
                }
                if (!item.canVoid) return@Form
                Section(ui("Annullér", "Void"))
                SecondButton(ui("Annullér posten (begrundelse påkrævet)", "Void this record (reason required)"), enabled = reason.isNotBlank() && !saving) {
                    confirmVoid = true
                }
                if (confirmVoid) {
                    AlertDialog(
                        onDismissRequest = { confirmVoid = false },
                        text = { Text(ui("Posten bliver stående, markeret som annulleret, og tæller ikke længere med.", "The record stays, marked void, and no longer counts.")) },
                        confirmButton = {
                            TextButton(onClick = {
                                confirmVoid = false
                                model.save({ store -> store.voidEntry(item.id, reason.trim()) }) { go.back() }
                            }) { Text(ui("Annullér posten", "Void it")) }
                        },
                        dismissButton = { TextButton(onClick = { confirmVoid = false }) { Text(ui("Fortryd", "Cancel")) } },
                    )
                }
            }
        }
    }
}

@Composable
private fun FixFieldView(field: FixField, value: String, change: (String) -> Unit) {
    when (field) {
        is FixField.Text -> OutlinedTextField(
            value, change,
            label = { Text(field.label) },
            keyboardOptions = KeyboardOptions(keyboardType = if (field.number) KeyboardType.Number else KeyboardType.Text),
            modifier = Modifier.fillMaxWidth(),
        )
        is FixField.Choice -> {
            Text(field.label, style = MaterialTheme.typography.titleSmall)
            Choices(field.labels, value.ifEmpty { null }) { change(it) }
        }
        is FixField.Items -> {
            Text(field.label, style = MaterialTheme.typography.titleSmall)
            val seen = value.split(',').filter { it.isNotBlank() }.toSet()
            Words.instruments.broset.items.forEach { item ->
                BigToggle(item.text(), null, item.code in seen) { on -> change(brosetDraft(if (on) seen + item.code else seen - item.code)) }
            }
        }
    }
}
