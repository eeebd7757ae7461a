// The initial treatment plan of the open course, with the citizen's own goals and the crisis
// plan (issue 18, "the whole model"): setting it (a new revision: the goal in the citizen's
// words, its kind, what is to be achieved, services, partners with their numbers, the specific
// goals, the crisis plan); evaluating one specific goal ("Er målet nået"); and noting how the
// cooperation went. The drafts start from the plan as it stands and start again after each new
// revision. Every rule (an open course, a goal's number, at most so many items) is the core's.
// Editing or removing an existing specific goal is not here: a new revision keeps them as they are.

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
import dk.gadeplan.app.logic.Times
import dk.gadeplan.core.CooperationInput
import dk.gadeplan.core.EvaluationInput
import dk.gadeplan.core.GoalKind
import dk.gadeplan.core.GoalReached
import dk.gadeplan.core.Label
import dk.gadeplan.core.NewEntry
import dk.gadeplan.core.PlanFields
import dk.gadeplan.core.PlanInput
import dk.gadeplan.core.PlanPartner
import dk.gadeplan.core.PlanView
import dk.gadeplan.core.SpecificPlan

@Composable
fun PlanScreen(person: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "plan-$person") { StoreModel(app) { store -> store.person(person) } }
    val state by model.state.collectAsStateWithLifecycle()
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()

    fun record(entry: NewEntry, done: () -> Unit = {}) = model.save({ store -> store.record(entry) }) { done() }

    Screen(title = ui("Behandlingsplan", "Treatment plan"), onBack = go::back) {
        Loaded(state, retry = model::reload) { detail ->
            Form {
                ErrorLine(error)
                if (detail.courses.none { it.closedAt == null }) {
                    Text(ui("Personen har intet åbent forløb. Åbn et forløb først.", "The person has no open course. Open a course first."), color = MaterialTheme.colorScheme.error)
                    SecondButton(ui("Forløb", "Course")) { go.course(person) }
                    return@Form
                }
                val plan = detail.plan
                SetPlan(person, plan, saving) { input -> record(NewEntry.PlanSet(input)) }
                if (plan != null) {
                    Evaluate(person, plan, saving) { input, done -> record(NewEntry.PlanEvaluated(input), done) }
                    Cooperation(person, saving) { input, done -> record(NewEntry.CooperationNoted(input), done) }
                }
            }
        }
    }
}

@Composable
private fun SetPlan(person: String, plan: PlanView?, saving: Boolean, save: (PlanInput) -> Unit) {
    val now = plan?.fields
    val revision = plan?.entryId.orEmpty()
    var goal by rememberSaveable(revision) { mutableStateOf(now?.goal.orEmpty()) }
    var goalKind by rememberSaveable(revision) { mutableStateOf(now?.goalKind?.codeIn(Words.instruments.course.goalKinds)) }
    var achieve by rememberSaveable(revision) { mutableStateOf(now?.achieve.orEmpty()) }
    var services by rememberSaveable(revision) { mutableStateOf(now?.services.orEmpty()) }
    var remarks by rememberSaveable(revision) { mutableStateOf(now?.remarks.orEmpty()) }
    var crisis by rememberSaveable(revision) { mutableStateOf(now?.crisisPlan.orEmpty()) }
    var partners by rememberSaveable(revision) { mutableStateOf(now?.partners.orEmpty().joinToString("\n") { listOfNotNull(it.name, it.phone).joinToString(", ") }) }
    var newGoal by rememberSaveable(revision) { mutableStateOf("") }
    var citizenEffort by rememberSaveable(revision) { mutableStateOf("") }
    var othersEffort by rememberSaveable(revision) { mutableStateOf("") }
    var workerEffort by rememberSaveable(revision) { mutableStateOf("") }

    Section(if (plan == null) ui("Læg planen", "Set the plan") else ui("Ny udgave af planen", "A new revision of the plan"))
    plan?.let { Text(ui("Lagt ", "Set ") + Times.localTime(it.setAt) + " · " + it.setBy, style = MaterialTheme.typography.bodySmall) }
    Field(goal, { goal = it }, ui("Borgerens eget mål (med borgerens ord)", "The citizen's own goal (in their words)"), lines = 2)
    Choices(Words.instruments.course.goalKinds, goalKind) { goalKind = if (goalKind == it) null else it }
    Field(achieve, { achieve = it }, ui("Hvad skal opnås", "What is to be achieved"), lines = 2)
    Field(services, { services = it }, ui("Tilbud og ydelser", "Services"), lines = 2)
    Field(partners, { partners = it }, ui("Samarbejdspartnere – én pr. linje: navn, telefon", "Partners – one a line: name, phone"), lines = 3)
    Field(crisis, { crisis = it }, ui("Kriseplan: hvad gør vi, hvem ringer vi til", "Crisis plan: what we do, whom we call"), lines = 3)
    Field(remarks, { remarks = it }, ui("Bemærkninger", "Remarks"), lines = 2)
    Section(ui("Delmål", "Specific goals"))
    now?.plans.orEmpty().forEachIndexed { i, p -> Text("${i + 1}. ${p.goal}") }
    Field(newGoal, { newGoal = it }, ui("Nyt delmål (valgfrit)", "A new specific goal (optional)"))
    if (newGoal.isNotBlank()) {
        Field(citizenEffort, { citizenEffort = it }, ui("Hvad gør borgeren", "What the citizen does"))
        Field(othersEffort, { othersEffort = it }, ui("Hvad gør andre", "What others do"))
        Field(workerEffort, { workerEffort = it }, ui("Hvad gør vi", "What we do"))
    }
    BigButton(ui("Gem planen", "Save the plan"), enabled = goal.isNotBlank(), saving = saving) {
        val added = newGoal.orNull()?.let { SpecificPlan(it, citizenEffort.orNull(), othersEffort.orNull(), workerEffort.orNull(), null) }
        val fields = PlanFields(
            goal = goal.trim(),
            goalKind = enumOf<GoalKind>(goalKind),
            achieve = achieve.orNull(),
            services = services.orNull(),
            remarks = remarks.orNull(),
            partners = partnersFrom(partners),
            plans = now?.plans.orEmpty() + listOfNotNull(added),
            crisisPlan = crisis.orNull(),
        )
        save(PlanInput(person, null, fields, null))
    }
}

@Composable
private fun Evaluate(person: String, plan: PlanView, saving: Boolean, save: (EvaluationInput, () -> Unit) -> Unit) {
    val goals = plan.fields.plans
    Section(ui("Evaluér et delmål", "Evaluate a specific goal"))
    plan.evaluations.forEach { e ->
        Text("${e.goal}. " + e.reached.labelIn(Words.instruments.course.goalReached) + " · " + Times.localTime(e.at) + (e.comment?.let { " · $it" } ?: ""), style = MaterialTheme.typography.bodySmall)
    }
    if (goals.isEmpty()) {
        Text(ui("Planen har ingen delmål at evaluere", "The plan has no specific goals to evaluate"))
        return
    }
    var goal by rememberSaveable { mutableStateOf<String?>(null) }
    var reached by rememberSaveable { mutableStateOf<String?>(null) }
    var closer by rememberSaveable { mutableStateOf("") }
    var comment by rememberSaveable { mutableStateOf("") }
    Choices(goals.mapIndexed { i, p -> Label("${i + 1}", "${i + 1}. ${p.goal}", "${i + 1}. ${p.goal}") }, goal) { goal = it }
    Text(ui("Er målet nået?", "Is the goal reached?"), style = MaterialTheme.typography.titleSmall)
    Choices(Words.instruments.course.goalReached, reached) { reached = it }
    Field(closer, { closer = it }, ui("Hvad bringer borgeren tættere på", "What brings the citizen closer"), lines = 2)
    Field(comment, { comment = it }, ui("Kommentar", "Comment"), lines = 2)
    val number = goal?.toUIntOrNull()
    val result = enumOf<GoalReached>(reached)
    BigButton(ui("Gem evaluering", "Save evaluation"), enabled = number != null && result != null, saving = saving) {
        save(EvaluationInput(person, null, number ?: return@BigButton, result ?: return@BigButton, closer.orNull(), comment.orNull(), null)) {
            goal = null; reached = null; closer = ""; comment = ""
        }
    }
}

@Composable
private fun Cooperation(person: String, saving: Boolean, save: (CooperationInput, () -> Unit) -> Unit) {
    var satisfaction by rememberSaveable { mutableStateOf("") }
    var citizen by rememberSaveable { mutableStateOf("") }
    var worker by rememberSaveable { mutableStateOf("") }
    Section(ui("Samarbejdet", "The cooperation"))
    Field(satisfaction, { satisfaction = it }, ui("Borgerens tilfredshed", "The citizen's satisfaction"))
    Field(citizen, { citizen = it }, ui("Borgerens bemærkninger", "The citizen's comments"), lines = 2)
    Field(worker, { worker = it }, ui("Vores bemærkninger", "Our comments"), lines = 2)
    val any = listOf(satisfaction, citizen, worker).any { it.isNotBlank() }
    BigButton(ui("Gem samarbejdet", "Save the cooperation"), enabled = any, saving = saving) {
        save(CooperationInput(person, null, satisfaction.orNull(), citizen.orNull(), worker.orNull(), null)) {
            satisfaction = ""; citizen = ""; worker = ""
        }
    }
}

/** Partners typed one a line, "name, phone": the phone is the number in the line, if any. */
private fun partnersFrom(text: String): List<PlanPartner> = text.lines().mapNotNull { line ->
    val phone = phoneNumberIn(line)
    val name = (if (phone != null) line.replace(phone, "") else line).trim().trim(',', ';', '-', ' ')
    if (name.isEmpty()) null else PlanPartner(name, phone)
}
