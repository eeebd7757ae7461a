// A questionnaire of the open course (the motivation, drug situation, physical and mental health
// scales), opened from the person screen where it is due: each item as chips over its scale with
// the anchors' words, any item may stay unanswered, or the whole marked "not possible" with the
// reason. Which occasion (baseline or follow-up) the due list says; the core checks the rest.
// Answers kept as codes across rotation.

package dk.gadeplan.app.ui

import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.rememberSaveable
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.core.Label
import dk.gadeplan.core.NewEntry
import dk.gadeplan.core.Occasion
import dk.gadeplan.core.Questionnaire
import dk.gadeplan.core.QuestionnaireInput

@Composable
fun QuestionnaireScreen(person: String, instrument: String?, occasion: String?, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "questionnaire-$person-$instrument-$occasion") { StoreModel<Unit>(app, null) }
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    val which = enumOf<Questionnaire>(instrument)
    val definition = Words.instruments.questionnaires.firstOrNull { it.instrument == which }
    // Each item's answer by the item's code ("3"); absent: not answered.
    var answers by rememberAnswers()
    var notPossible by rememberSaveable { mutableStateOf("") }

    Screen(title = definition?.name?.text() ?: ui("Spørgeskema", "Questionnaire"), onBack = go::back) {
        Form {
            if (definition == null || which == null) {
                ErrorLine(ui("Spørgeskemaet kendes ikke af denne version af appen.", "This version of the app does not know this questionnaire."))
                return@Form
            }
            definition.question?.let { Text(it.text(), style = MaterialTheme.typography.titleMedium) }
            Text(definition.`when`.text(), style = MaterialTheme.typography.bodySmall)
            definition.items.forEach { item ->
                Section(if (Words.danish) item.da else item.en)
                val values = (item.min.toInt()..item.max.toInt()).map { v -> Label(v.toString(), v.toString(), v.toString()) }
                Choices(values, answers[item.code]) { v -> answers = if (answers[item.code] == v) answers - item.code else answers + (item.code to v) }
                if (item.anchors.isNotEmpty()) {
                    Text(item.anchors.joinToString(" · ") { a -> "${a.value}: " + (if (Words.danish) a.da else a.en) }, style = MaterialTheme.typography.bodySmall)
                }
            }
            OutlinedTextField(
                notPossible, { notPossible = it },
                label = { Text(ui("Ikke muligt at udfylde – hvorfor (i stedet for svar)", "Not possible to fill in – why (instead of answers)")) },
                modifier = Modifier.fillMaxWidth(),
            )
            ErrorLine(error)
            val ready = notPossible.isNotBlank() || answers.isNotEmpty()
            BigButton(ui("Gem", "Save"), enabled = ready, saving = saving) {
                val reason = notPossible.trim().ifEmpty { null }
                val input = QuestionnaireInput(
                    person = person,
                    instrument = which,
                    occasion = enumOf<Occasion>(occasion),
                    answers = if (reason != null) emptyList() else definition.items.map { answers[it.code]?.toUByteOrNull() },
                    notPossible = reason,
                )
                model.save({ store -> store.record(NewEntry.QuestionnaireRecorded(input)) }) { go.back() }
            }
        }
    }
}
