// The team's caseload (issue 18, caseload()): open courses per worker against the guideline the
// core holds, and those waiting for treatment (waitingForTreatment(): a wish for treatment and
// no start yet, the guarantee's days left), each one tap from their person screen. From the
// store: what this phone holds, offline.

package dk.gadeplan.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.heightIn
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import androidx.lifecycle.viewmodel.compose.viewModel
import dk.gadeplan.core.Caseload
import dk.gadeplan.core.PersonSummary

data class CaseloadState(val caseload: Caseload, val waiting: List<PersonSummary>)

@Composable
fun CaseloadScreen(go: Go) {
    val app = gadeplanApp()
    val model = viewModel(key = "caseload") { StoreModel(app) { store -> CaseloadState(store.caseload(), store.waitingForTreatment()) } }
    val state by model.state.collectAsStateWithLifecycle()
    Screen(title = ui("Sagsbelastning og venteliste", "Caseload and waiting"), onBack = go::back) {
        Loaded(state, retry = model::reload) { now ->
            Form {
                val c = now.caseload
                Section(ui("Åbne forløb", "Open courses"))
                Text(
                    ui(
                        "${c.openCourses} åbne forløb, i gennemsnit ${"%.1f".format(c.average)} pr. medarbejder (retningslinje: ${c.guideline})",
                        "${c.openCourses} open courses, on average ${"%.1f".format(c.average)} per worker (guideline: ${c.guideline})",
                    ),
                )
                if (c.overGuideline) Text(ui("Over retningslinjen", "Over the guideline"), color = MaterialTheme.colorScheme.error, style = MaterialTheme.typography.titleSmall)
                c.workers.forEach { w -> Text("${w.worker}: ${w.openCourses}") }
                Section(ui("Venter på behandling", "Waiting for treatment"))
                if (now.waiting.isEmpty()) Text(ui("Ingen venter", "No one is waiting"))
                now.waiting.forEach { p ->
                    Column(
                        Modifier.fillMaxWidth().heightIn(min = 64.dp).clickable(role = Role.Button) { go.person(p.id) }.padding(vertical = 8.dp),
                    ) {
                        Text(p.alias, style = MaterialTheme.typography.titleMedium)
                        p.guarantee?.let { g ->
                            val left = g.daysLeft
                            val text = when {
                                left == null -> ui("Sidste dag: ${g.lastDay}", "Last day: ${g.lastDay}")
                                left < 0 -> ui("Garantien er overskredet (${g.lastDay})", "Guarantee breached (${g.lastDay})")
                                else -> ui("$left dage tilbage (${g.lastDay})", "$left days left (${g.lastDay})")
                            }
                            Text(text, color = if ((left ?: 1) < 3) MaterialTheme.colorScheme.error else MaterialTheme.colorScheme.onSurface)
                        }
                        NotSentMark(p.notSent)
                    }
                }
            }
        }
    }
}
