// The person's course (issue 18, "the course and its phase"): with none open, opening one (who
// is responsible, from the roster; how the citizen was found; their attachment to treatment,
// substitution and other services before the effort, if known); with one open, its phase, the
// citizen's wish for treatment (which starts the 14-day guarantee the person screen counts
// down), and closing it with the reason. Every rule (one open course, the order of phases, the
// guarantee) is the core's; this screen asks.

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
import dk.gadeplan.core.CloseReason
import dk.gadeplan.core.CourseCloseInput
import dk.gadeplan.core.CourseInput
import dk.gadeplan.core.CoursePhase
import dk.gadeplan.core.CoursePhaseInput
import dk.gadeplan.core.CourseView
import dk.gadeplan.core.FoundVia
import dk.gadeplan.core.NewEntry
import dk.gadeplan.core.ServicesAttachment
import dk.gadeplan.core.SubstitutionAttachment
import dk.gadeplan.core.TreatmentAttachment
import dk.gadeplan.core.TreatmentRequestInput
import dk.gadeplan.core.TreatmentStatus

data class CourseState(val me: String, val roster: List<String>, val open: CourseView?)

@Composable
fun CourseScreen(person: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "course-$person") {
        StoreModel(app) { store ->
            val me = store.identity().worker
            CourseState(me, (store.roster().orEmpty() + me).distinct(), store.person(person).courses.lastOrNull { it.closedAt == null })
        }
    }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    val words = Words.instruments.course
    var responsible by rememberCodes()
    var foundVia by rememberSaveable { mutableStateOf<String?>(null) }
    var treatment by rememberSaveable { mutableStateOf<String?>(null) }
    var substitution by rememberSaveable { mutableStateOf<String?>(null) }
    var services by rememberSaveable { mutableStateOf<String?>(null) }
    var closeReason by rememberSaveable { mutableStateOf<String?>(null) }
    var treatmentStatus by rememberSaveable { mutableStateOf<String?>(null) }

    fun record(entry: NewEntry) = model.save({ store -> store.record(entry) }) { }

    Screen(title = ui("Forløb", "Course"), onBack = go::back) {
        Loaded(state, retry = model::reload) { now ->
            Form {
                ErrorLine(error)
                val open = now.open
                if (open == null) {
                    Section(ui("Åbn et forløb", "Open a course"))
                    Text(ui("Ansvarlige", "Responsible"), style = MaterialTheme.typography.titleSmall)
                    now.roster.forEach { name ->
                        BigToggle(name, null, name in responsible || (responsible.isEmpty() && name == now.me)) { on ->
                            val current = if (responsible.isEmpty()) listOf(now.me) else responsible
                            responsible = if (on) current + name else current - name
                        }
                    }
                    Text(ui("Fundet via", "Found via"), style = MaterialTheme.typography.titleSmall)
                    Choices(words.foundVia, foundVia) { foundVia = it }
                    Text(ui("Tilknytning før indsatsen (valgfrit)", "Attachment before the effort (optional)"), style = MaterialTheme.typography.titleSmall)
                    Choices(words.attachmentTreatment, treatment) { treatment = if (treatment == it) null else it }
                    Choices(words.attachmentSubstitution, substitution) { substitution = if (substitution == it) null else it }
                    Choices(words.attachmentServices, services) { services = if (services == it) null else it }
                    val via = enumOf<FoundVia>(foundVia)
                    val who = if (responsible.isEmpty()) listOf(now.me) else responsible
                    BigButton(ui("Åbn forløb", "Open course"), enabled = via != null && who.isNotEmpty(), saving = saving) {
                        val v = via ?: return@BigButton
                        record(
                            NewEntry.CourseOpened(
                                CourseInput(person, who, v, enumOf<TreatmentAttachment>(treatment), enumOf<SubstitutionAttachment>(substitution), enumOf<ServicesAttachment>(services), null),
                            ),
                        )
                    }
                } else {
                    Text(ui("Åbnet ", "Opened ") + dk.gadeplan.app.logic.Times.localTime(open.openedAt) + " · " + open.responsible.joinToString(" & "))
                    Section(ui("Fase", "Phase"))
                    Choices(words.phases, open.phase.codeIn(words.phases)) { code ->
                        val phase = enumOf<CoursePhase>(code)
                        if (phase != null && phase != open.phase && !saving) record(NewEntry.CoursePhaseSet(CoursePhaseInput(person, open.id, phase, null)))
                    }
                    if (open.guarantee == null) {
                        SecondButton(ui("Borgeren ønsker behandling (garantien starter)", "The citizen wishes treatment (the guarantee starts)"), enabled = !saving) {
                            record(NewEntry.TreatmentRequested(TreatmentRequestInput(person, open.id, null)))
                        }
                    } else {
                        open.guarantee?.let { g -> Text(ui("Ønske om behandling ${g.wishedOn}, sidste dag ${g.lastDay}", "Wished for treatment ${g.wishedOn}, last day ${g.lastDay}")) }
                    }
                    Section(ui("Afslut forløbet", "Close the course"))
                    Choices(words.closeReasons, closeReason) { closeReason = it }
                    Choices(words.treatmentStatuses, treatmentStatus) { treatmentStatus = if (treatmentStatus == it) null else it }
                    val reason = enumOf<CloseReason>(closeReason)
                    SecondButton(ui("Afslut forløb", "Close course"), enabled = reason != null && !saving) {
                        val r = reason ?: return@SecondButton
                        record(NewEntry.CourseClosed(CourseCloseInput(person, open.id, r, enumOf<TreatmentStatus>(treatmentStatus), null)))
                    }
                }
            }
        }
    }
}
