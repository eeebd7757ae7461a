// Drafts of chosen codes that survive rotation and process death (A25) in a form the Bundle
// takes: a List or a Map is not one (rememberSaveable would throw on saving it, or keep a type
// Android cannot restore), so a list of codes is saved as an ArrayList<String> and a map of code
// to answer as an ArrayList<String> of code, answer, code, answer. Screens hold plain Kotlin
// List/Map values in the state; only the saved form is the ArrayList.

package dk.gadeplan.app.ui

import androidx.compose.runtime.Composable
import androidx.compose.runtime.MutableState
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.saveable.Saver
import androidx.compose.runtime.saveable.rememberSaveable

/** A list of codes (the Brøset items seen, the workers present), saved as an ArrayList<String>. */
val CodesSaver: Saver<MutableState<List<String>>, ArrayList<String>> = Saver(
    save = { state -> ArrayList(state.value) },
    restore = { saved -> mutableStateOf(saved.toList()) },
)

/** A map of code to answer (screening criteria, scale values), saved as code, answer, code, answer… */
val AnswersSaver: Saver<MutableState<Map<String, String>>, ArrayList<String>> = Saver(
    save = { state -> ArrayList<String>().apply { state.value.forEach { (code, answer) -> add(code); add(answer) } } },
    restore = { saved -> mutableStateOf(saved.chunked(2).filter { it.size == 2 }.associate { it[0] to it[1] }) },
)

@Composable
fun rememberCodes(): MutableState<List<String>> = rememberSaveable(saver = CodesSaver) { mutableStateOf(emptyList()) }

@Composable
fun rememberAnswers(): MutableState<Map<String, String>> = rememberSaveable(saver = AnswersSaver) { mutableStateOf(emptyMap()) }
