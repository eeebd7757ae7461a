// Recording a contact in a few taps: place kind, kind, outcome (with the last used preselected),
// where in a few words, an optional colleague and note. After a risk check it concerns the same
// citizen, linked to that check.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Button
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.unit.dp
import dk.gadeplan.app.GadeplanApp
import dk.gadeplan.core.ContactInput
import dk.gadeplan.core.ContactKind
import dk.gadeplan.core.GadeplanException
import dk.gadeplan.core.MeetingKind
import dk.gadeplan.core.Outcome
import dk.gadeplan.core.PlaceKind
import dk.gadeplan.core.Subject

@Composable
fun ContactScreen(app: GadeplanApp, subject: String, riskCheck: String?, done: () -> Unit) {
    val store = app.store() ?: return
    val defs = Labels.instruments
    var placeKind by remember { mutableStateOf("street") }
    var kind by remember { mutableStateOf("brief-contact") }
    var outcome by remember { mutableStateOf("contact-made") }
    var meeting by remember { mutableStateOf<String?>(null) }
    var place by remember { mutableStateOf("") }
    var colleague by remember { mutableStateOf("") }
    var note by remember { mutableStateOf("") }
    var error by remember { mutableStateOf<String?>(null) }
    Column(Modifier.padding(16.dp).verticalScroll(rememberScrollState())) {
        Choices(defs.placeKinds, placeKind) { placeKind = it }
        OutlinedTextField(place, { place = it }, label = { Text(Labels.ui("Hvor", "Where")) }, modifier = Modifier.fillMaxWidth())
        Choices(defs.contactKinds, kind) { kind = it }
        // A meeting says which; a contact about the citizen may name one.
        if (kind == "meeting" || kind == "about-citizen") {
            Choices(defs.meetingKinds, meeting) { meeting = it }
        }
        Choices(defs.outcomes, outcome) { outcome = it }
        OutlinedTextField(colleague, { colleague = it }, label = { Text(Labels.ui("Kollega med", "Colleague present")) }, modifier = Modifier.fillMaxWidth())
        OutlinedTextField(note, { note = it }, label = { Text(Labels.ui("Note", "Note")) }, modifier = Modifier.fillMaxWidth())
        ErrorLine(error)
        Button(enabled = place.isNotBlank(), onClick = {
            try {
                store.recordContact(
                    ContactInput(
                        subject = if (riskCheck != null) null else Subject.Person(subject),
                        place = place,
                        placeKind = PlaceKind.values()[defs.placeKinds.indexOfFirst { it.code == placeKind }],
                        kind = ContactKind.values()[defs.contactKinds.indexOfFirst { it.code == kind }],
                        meeting = meeting
                            ?.takeIf { kind == "meeting" || kind == "about-citizen" }
                            ?.let { code -> MeetingKind.values()[defs.meetingKinds.indexOfFirst { it.code == code }] },
                        outcome = Outcome.values()[defs.outcomes.indexOfFirst { it.code == outcome }],
                        colleague = colleague.ifBlank { null },
                        minutes = null,
                        note = note.ifBlank { null },
                        riskCheck = riskCheck,
                        occurredAt = null,
                    ),
                )
                done()
            } catch (e: GadeplanException) {
                error = e.message
            }
        }) { Text(Labels.ui("Gem kontakt", "Save contact")) }
    }
}
