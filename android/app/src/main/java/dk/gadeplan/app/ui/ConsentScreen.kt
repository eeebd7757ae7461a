// Consents and disclosures (issue 18; confidentiality, 002 L3433). A consent: to whom, about
// what, verbal or written; one in force can be withdrawn (asked first). A disclosure: what was
// told to whom, resting on a consent: the core refuses one without a consent in force for the
// same recipient (`consent-required`), so the screen offers only the consents in force, takes
// the recipient from the chosen one, and shows the core's refusal in the worker's words if it
// comes (a consent withdrawn on another phone meanwhile).

package dk.gadeplan.app.ui

import androidx.compose.material3.AlertDialog
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.app.logic.Times
import dk.gadeplan.core.ConsentForm
import dk.gadeplan.core.ConsentInput
import dk.gadeplan.core.ConsentView
import dk.gadeplan.core.ConsentWithdrawalInput
import dk.gadeplan.core.DisclosureInput
import dk.gadeplan.core.Label
import dk.gadeplan.core.NewEntry

@Composable
fun ConsentScreen(person: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "consents-$person") { StoreModel(app) { store -> store.person(person).consents } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var withdrawing by rememberSaveable { mutableStateOf<String?>(null) }

    fun record(entry: NewEntry, done: () -> Unit) = model.save({ store -> store.record(entry) }) { done() }

    Screen(title = ui("Samtykke og videregivelse", "Consent and disclosure"), onBack = go::back) {
        Loaded(state, retry = model::reload) { consents ->
            Form {
                ErrorLine(error)
                Section(ui("Samtykker", "Consents"))
                if (consents.isEmpty()) Text(ui("Ingen samtykker", "No consents"))
                consents.forEach { c ->
                    Text(consentLine(c))
                    if (c.inForce) {
                        SecondButton(ui("Tilbagekald samtykket", "Withdraw the consent"), enabled = !saving) { withdrawing = c.entryId }
                    } else {
                        Text(ui("Tilbagekaldt ", "Withdrawn ") + (c.withdrawnAt?.let { Times.localTime(it) } ?: ""), style = MaterialTheme.typography.bodySmall, color = MaterialTheme.colorScheme.error)
                    }
                }
                GiveConsent(saving) { toWhom, about, form, done -> record(NewEntry.ConsentGiven(ConsentInput(person, toWhom, about, form, null)), done) }
                Disclose(consents.filter { it.inForce }, saving) { what, consent, done ->
                    record(NewEntry.DisclosureMade(DisclosureInput(person, what, consent.toWhom, consent.entryId, null)), done)
                }
            }
            val pending = consents.firstOrNull { it.entryId == withdrawing }
            if (pending != null) {
                AlertDialog(
                    onDismissRequest = { withdrawing = null },
                    title = { Text(ui("Tilbagekald samtykket?", "Withdraw the consent?")) },
                    text = { Text(consentLine(pending) + "\n" + ui("Der kan ikke videregives mere på det.", "Nothing more can be disclosed on it.")) },
                    confirmButton = {
                        TextButton(onClick = {
                            withdrawing = null
                            record(NewEntry.ConsentWithdrawn(ConsentWithdrawalInput(person, pending.entryId, null))) { }
                        }, modifier = DialogButton) { Text(ui("Tilbagekald", "Withdraw")) }
                    },
                    dismissButton = { TextButton(onClick = { withdrawing = null }, modifier = DialogButton) { Text(ui("Annullér", "Cancel")) } },
                )
            }
        }
    }
}

@Composable
private fun GiveConsent(saving: Boolean, save: (String, String, ConsentForm, () -> Unit) -> Unit) {
    var toWhom by rememberSaveable { mutableStateOf("") }
    var about by rememberSaveable { mutableStateOf("") }
    var form by rememberSaveable { mutableStateOf<String?>(null) }
    Section(ui("Nyt samtykke", "A new consent"))
    Field(toWhom, { toWhom = it }, ui("Til hvem", "To whom"))
    Field(about, { about = it }, ui("Om hvad", "About what"), lines = 2)
    Choices(Words.instruments.course.consentForms, form) { form = it }
    val picked = enumOf<ConsentForm>(form)
    BigButton(ui("Gem samtykke", "Save consent"), enabled = toWhom.isNotBlank() && about.isNotBlank() && picked != null, saving = saving) {
        save(toWhom.trim(), about.trim(), picked ?: return@BigButton) { toWhom = ""; about = ""; form = null }
    }
}

@Composable
private fun Disclose(inForce: List<ConsentView>, saving: Boolean, save: (String, ConsentView, () -> Unit) -> Unit) {
    var consent by rememberSaveable { mutableStateOf<String?>(null) }
    var what by rememberSaveable { mutableStateOf("") }
    Section(ui("Videregivelse", "Disclosure"))
    Text(
        ui(
            "Der må kun videregives oplysninger med borgerens samtykke i kraft, givet til den samme modtager.",
            "Information may only be disclosed with the citizen's consent in force, given for the same recipient.",
        ),
        style = MaterialTheme.typography.bodySmall,
    )
    if (inForce.isEmpty()) {
        Text(ui("Intet samtykke i kraft – intet kan videregives", "No consent in force – nothing can be disclosed"), color = MaterialTheme.colorScheme.error)
        return
    }
    Choices(inForce.map { Label(it.entryId, it.toWhom + " · " + it.about, it.toWhom + " · " + it.about) }, consent) { consent = it }
    val chosen = inForce.firstOrNull { it.entryId == consent }
    chosen?.let { Text(ui("Modtager: ", "Recipient: ") + it.toWhom, style = MaterialTheme.typography.titleSmall) }
    Field(what, { what = it }, ui("Hvad blev videregivet", "What was disclosed"), lines = 2)
    BigButton(ui("Gem videregivelse", "Save disclosure"), enabled = chosen != null && what.isNotBlank(), saving = saving) {
        save(what.trim(), chosen ?: return@BigButton) { consent = null; what = "" }
    }
}

private fun consentLine(c: ConsentView): String =
    listOf(c.toWhom, c.about, c.form.labelIn(Words.instruments.course.consentForms), Times.localTime(c.givenAt)).joinToString(" · ")
