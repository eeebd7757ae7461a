// Bridge-building to treatment and to other services (issue 18): the treatment steps of the
// open course (the visitation and its result, treatment started with its offer and intensity,
// handed over to the counsellor) and a service bridged (GP, psychiatry, housing support… and how
// the contact stands). Each is one entry; the order of the steps and the guarantee it stops are
// the core's. The course's state is shown at the top so the worker sees which step is next.

package dk.gadeplan.app.ui

import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.core.BridgeInput
import dk.gadeplan.core.BridgeService
import dk.gadeplan.core.BridgeStatus
import dk.gadeplan.core.HandoverInput
import dk.gadeplan.core.NewEntry
import dk.gadeplan.core.TreatmentIntensity
import dk.gadeplan.core.TreatmentStartInput
import dk.gadeplan.core.VisitationInput
import dk.gadeplan.core.VisitationKind
import dk.gadeplan.core.VisitationResult

/** Which of the screen's forms is open: one at a time keeps the screen short. */
private enum class Step { VISIT, START, HANDOVER, BRIDGE }

@Composable
fun TreatmentScreen(person: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "treatment-$person") { StoreModel(app) { store -> store.person(person).courses.lastOrNull { it.closedAt == null } } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    var step by rememberSaveable { mutableStateOf(Step.VISIT.name) }

    fun record(entry: NewEntry, done: () -> Unit) = model.save({ store -> store.record(entry) }) { done() }

    Screen(title = ui("Brobygning", "Bridge-building"), onBack = go::back) {
        Loaded(state, retry = model::reload) { course ->
            Form {
                if (course == null) {
                    Text(ui("Personen har intet åbent forløb. Åbn et forløb først.", "The person has no open course. Open a course first."), color = MaterialTheme.colorScheme.error)
                    SecondButton(ui("Forløb", "Course")) { go.course(person) }
                    return@Form
                }
                Text(ui("Fase: ", "Phase: ") + course.phase.labelIn(Words.instruments.course.phases), style = MaterialTheme.typography.titleSmall)
                course.guarantee?.let { g ->
                    Text(g.startedOn?.let { ui("Behandling startet $it", "Treatment started $it") } ?: ui("Sidste dag for behandlingsstart: ${g.lastDay}", "Last day for treatment to start: ${g.lastDay}"))
                }
                val steps = listOf(
                    dk.gadeplan.core.Label(Step.VISIT.name, "Visitation", "Visitation"),
                    dk.gadeplan.core.Label(Step.START.name, "Behandling startet", "Treatment started"),
                    dk.gadeplan.core.Label(Step.HANDOVER.name, "Overdraget til behandler", "Handed over"),
                    dk.gadeplan.core.Label(Step.BRIDGE.name, "Anden indsats", "Other service"),
                )
                Choices(steps, step) { step = it }
                ErrorLine(error)
                when (step) {
                    Step.VISIT.name -> Visit(saving) { kind, result, offer, done -> record(NewEntry.TreatmentVisited(VisitationInput(person, course.id, kind, result, offer, null)), done) }
                    Step.START.name -> Start(saving) { offer, intensity, counsellor, done ->
                        record(NewEntry.TreatmentStarted(TreatmentStartInput(person, course.id, offer, intensity, counsellor, null)), done)
                    }
                    Step.HANDOVER.name -> Handover(saving) { input, done -> record(NewEntry.TreatmentHandedOver(input.copy(person = person, course = course.id)), done) }
                    else -> Bridge(saving) { service, status, contact, done ->
                        record(NewEntry.ServiceBridged(BridgeInput(person, course.id, service, status, contact, null)), done)
                    }
                }
            }
        }
    }
}

@Composable
private fun Visit(saving: Boolean, save: (VisitationKind, VisitationResult, String?, () -> Unit) -> Unit) {
    var kind by rememberSaveable { mutableStateOf<String?>(null) }
    var result by rememberSaveable { mutableStateOf<String?>(null) }
    var offer by rememberSaveable { mutableStateOf("") }
    Section(ui("Visitation", "Visitation"))
    Choices(Words.instruments.course.visitationKinds, kind) { kind = it }
    Text(ui("Resultat", "Result"), style = MaterialTheme.typography.titleSmall)
    Choices(Words.instruments.course.visitationResults, result) { result = it }
    Field(offer, { offer = it }, ui("Tilbud (valgfrit)", "Offer (optional)"))
    val k = enumOf<VisitationKind>(kind)
    val r = enumOf<VisitationResult>(result)
    BigButton(ui("Gem visitation", "Save visitation"), enabled = k != null && r != null, saving = saving) {
        save(k ?: return@BigButton, r ?: return@BigButton, offer.orNull()) { kind = null; result = null; offer = "" }
    }
}

@Composable
private fun Start(saving: Boolean, save: (String, TreatmentIntensity, String?, () -> Unit) -> Unit) {
    var offer by rememberSaveable { mutableStateOf("") }
    var intensity by rememberSaveable { mutableStateOf<String?>(null) }
    var counsellor by rememberSaveable { mutableStateOf("") }
    Section(ui("Behandling startet", "Treatment started"))
    Field(offer, { offer = it }, ui("Tilbud", "Offer"))
    Choices(Words.instruments.course.treatmentIntensities, intensity) { intensity = it }
    Field(counsellor, { counsellor = it }, ui("Behandler (valgfrit)", "Counsellor (optional)"))
    val i = enumOf<TreatmentIntensity>(intensity)
    BigButton(ui("Gem start", "Save start"), enabled = offer.isNotBlank() && i != null, saving = saving) {
        save(offer.trim(), i ?: return@BigButton, counsellor.orNull()) { offer = ""; intensity = null; counsellor = "" }
    }
}

@Composable
private fun Handover(saving: Boolean, save: (HandoverInput, () -> Unit) -> Unit) {
    var counsellor by rememberSaveable { mutableStateOf("") }
    var planHandedOver by rememberSaveable { mutableStateOf(false) }
    var notifyNoShows by rememberSaveable { mutableStateOf(false) }
    var support by rememberSaveable { mutableStateOf("") }
    Section(ui("Overdraget til behandler", "Handed over to the counsellor"))
    Field(counsellor, { counsellor = it }, ui("Behandler", "Counsellor"))
    BigToggle(ui("Planen er overdraget", "The plan was handed over"), null, planHandedOver) { planHandedOver = it }
    BigToggle(ui("Behandleren giver besked ved udeblivelse", "The counsellor tells us of no-shows"), null, notifyNoShows) { notifyNoShows = it }
    Field(support, { support = it }, ui("Vores støtte videre (valgfrit)", "Our further support (optional)"), lines = 2)
    BigButton(ui("Gem overdragelse", "Save handover"), enabled = counsellor.isNotBlank(), saving = saving) {
        save(HandoverInput("", null, counsellor.trim(), planHandedOver, support.orNull(), notifyNoShows, null)) {
            counsellor = ""; planHandedOver = false; notifyNoShows = false; support = ""
        }
    }
}

@Composable
private fun Bridge(saving: Boolean, save: (BridgeService, BridgeStatus, String?, () -> Unit) -> Unit) {
    var service by rememberSaveable { mutableStateOf<String?>(null) }
    var status by rememberSaveable { mutableStateOf<String?>(null) }
    var contact by rememberSaveable { mutableStateOf("") }
    Section(ui("Brobygning til anden indsats", "Bridging to another service"))
    Choices(Words.instruments.course.bridgeServices, service) { service = it }
    Text(ui("Status", "Status"), style = MaterialTheme.typography.titleSmall)
    Choices(Words.instruments.course.bridgeStatuses, status) { status = it }
    Field(contact, { contact = it }, ui("Kontaktperson (valgfrit)", "Contact (optional)"))
    val s = enumOf<BridgeService>(service)
    val st = enumOf<BridgeStatus>(status)
    BigButton(ui("Gem brobygning", "Save bridging"), enabled = s != null && st != null, saving = saving) {
        save(s ?: return@BigButton, st ?: return@BigButton, contact.orNull()) { service = null; status = null; contact = "" }
    }
}
