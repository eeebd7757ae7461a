// Stage of change (M10): the stage, with the core's texts, and the four 0–10 scales of the
// instrument (importance, confidence, control over life, craving), each optional, and the
// citizen's own recovery goal in their words. Kept as codes across rotation.

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
import dk.gadeplan.core.Stage
import dk.gadeplan.core.StageInput

@Composable
fun StageScreen(person: String, go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "stage-$person") { StoreModel<Unit>(app, null) }
    val saving by model.saving.collectAsStateWithLifecycle()
    val error by model.error.collectAsStateWithLifecycle()
    val defs = Words.instruments.stages
    var stage by rememberSaveable { mutableStateOf<String?>(null) }
    // Each scale's answer by the scale's code ("importance" → "7").
    var scales by rememberAnswers()
    var goal by rememberSaveable { mutableStateOf("") }
    fun scale(code: String): UByte? = scales[code]?.toUByteOrNull()

    Screen(title = defs.name.text(), onBack = go::back) {
        Form {
            defs.stages.forEach { item ->
                if (enumOf<Stage>(item.code) == null) return@forEach
                BigToggle(item.text(), item.definition().takeIf { stage == item.code }, stage == item.code) { on ->
                    stage = if (on) item.code else null
                }
            }
            defs.scales.forEach { s ->
                Section(if (Words.danish) s.questionDa else s.questionEn)
                val values = (s.min.toInt()..s.max.toInt()).map { v -> Label(v.toString(), v.toString(), v.toString()) }
                Choices(values, scales[s.code]) { v -> scales = if (scales[s.code] == v) scales - s.code else scales + (s.code to v) }
                s.anchors.takeIf { it.isNotEmpty() }?.let { anchors ->
                    Text(anchors.joinToString(" · ") { a -> "${a.value}: " + (if (Words.danish) a.da else a.en) }, style = MaterialTheme.typography.bodySmall)
                }
            }
            OutlinedTextField(goal, { goal = it }, label = { Text(ui("Borgerens eget mål", "The citizen's own goal")) }, modifier = Modifier.fillMaxWidth())
            ErrorLine(error)
            val picked = enumOf<Stage>(stage)
            BigButton(ui("Gem", "Save"), enabled = picked != null, saving = saving) {
                val value = picked ?: return@BigButton
                val input = StageInput(
                    person = person,
                    stage = value,
                    importance = scale("importance"),
                    confidence = scale("confidence"),
                    occurredAt = null,
                    recoveryGoal = goal.trim().ifEmpty { null },
                    lifeControl = scale("life-control"),
                    craving = scale("craving"),
                )
                model.save({ store -> store.recordStage(input) }) { go.back() }
            }
        }
    }
}
