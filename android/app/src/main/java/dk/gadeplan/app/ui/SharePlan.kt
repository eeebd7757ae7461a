// Sharing the plan document (planDocument: the handover document in HTML, Danish), e.g. with the
// counsellor at the handover. It is health data about the citizen, so it leaves Gadeplan only
// after a warning the worker confirms: the app it is shared to keeps its own copy, outside the
// phone's encrypted store, the app lock and the centre's erasures; share only on the citizen's
// consent, to a recipient allowed to see it, and record the disclosure. The document goes as the
// share intent's text (EXTRA_HTML_TEXT and EXTRA_TEXT), never as a file in the app's storage.

package dk.gadeplan.app.ui

import android.content.ActivityNotFoundException
import android.content.Intent
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.platform.LocalContext
import dk.gadeplan.core.PersonDetail

@Composable
fun SharePlan(detail: PersonDetail, model: StoreModel<PersonDetail>, go: Go) {
    if (detail.plan == null) return
    val context = LocalContext.current
    var asking by rememberSaveable { mutableStateOf(false) }
    val person = detail.person
    SecondButton(ui("Del behandlingsplanen …", "Share the treatment plan …")) { asking = true }
    if (asking) {
        AlertDialog(
            onDismissRequest = { asking = false },
            title = { Text(ui("Helbredsoplysninger", "Health data")) },
            text = {
                Text(
                    ui(
                        "Planen indeholder helbredsoplysninger om ${person.alias}. Den app, du deler til, gemmer sin egen kopi uden for Gadeplan. Del kun med borgerens samtykke, til en modtager der må se den, og notér videregivelsen under Samtykke.",
                        "The plan holds health data about ${person.alias}. The app you share to keeps its own copy outside Gadeplan. Share only with the citizen's consent, to a recipient allowed to see it, and record the disclosure under Consent.",
                    ),
                )
            },
            confirmButton = {
                TextButton(onClick = {
                    asking = false
                    model.read({ store -> store.planDocument(person.id) }) { html ->
                        val send = Intent(Intent.ACTION_SEND)
                            .setType("text/html")
                            .putExtra(Intent.EXTRA_SUBJECT, ui("Behandlingsplan", "Treatment plan"))
                            .putExtra(Intent.EXTRA_HTML_TEXT, html)
                            .putExtra(Intent.EXTRA_TEXT, html)
                        try {
                            context.startActivity(Intent.createChooser(send, ui("Del behandlingsplanen", "Share the treatment plan")))
                        } catch (e: ActivityNotFoundException) {
                            model.showError(ui("Ingen app på telefonen kan modtage planen", "No app on the phone can take the plan"))
                        }
                    }
                }, modifier = DialogButton) { Text(ui("Jeg forstår – del", "I understand – share")) }
            },
            dismissButton = {
                TextButton(onClick = { asking = false; go.consents(person.id) }, modifier = DialogButton) { Text(ui("Til samtykke", "To consent")) }
                TextButton(onClick = { asking = false }, modifier = DialogButton) { Text(ui("Annullér", "Cancel")) }
            },
        )
    }
}
