// The words on the screens: the core's labels in the phone's language (labelLanguage: Danish on
// a Danish phone), the app's own few words in Danish and English, and the core's enums found by
// their code (logic/Codes.kt). A27: an enum is matched by its name against the label's code (both reduced to
// letters and digits: `NOT_APPROACHED_RISK` ~ `not-approached-risk`, `SECTION101` ~
// `section-101`), never by position, so a reordering in the core cannot record the wrong item,
// and an unknown code is skipped instead of crashing.

package dk.gadeplan.app.ui

import dk.gadeplan.app.logic.Codes
import dk.gadeplan.core.InstrumentItem
import dk.gadeplan.core.Instruments
import dk.gadeplan.core.Label
import dk.gadeplan.core.Language
import dk.gadeplan.core.instrumentDefinitions

object Words {
    /** Set by the activity from the phone's languages before anything is drawn. */
    @Volatile
    var language: Language = Language.DANISH

    val instruments: Instruments by lazy { instrumentDefinitions() }

    val danish: Boolean get() = language == Language.DANISH
}

fun Label.text(): String = if (Words.danish) da else en
fun InstrumentItem.text(): String = if (Words.danish) da else en
fun InstrumentItem.definition(): String = if (Words.danish) definitionDa else definitionEn

/** The app's own words, the only ones the core does not give. */
fun ui(da: String, en: String): String = if (Words.danish) da else en

fun normalCode(text: String): String = Codes.normal(text)

/** The enum value a code names, or null (logic/Codes.kt, tested against the core's definitions). */
inline fun <reified E : Enum<E>> enumOf(code: String?): E? = Codes.enumOf<E>(code)

/** The code of an enum value in a vocabulary. */
fun Enum<*>.codeIn(labels: List<Label>): String? = labels.firstOrNull { normalCode(it.code) == normalCode(name) }?.code

/** The label of an enum value in a vocabulary (its code if the vocabulary lacks it). */
fun Enum<*>.labelIn(labels: List<Label>): String = labels.firstOrNull { normalCode(it.code) == normalCode(name) }?.text() ?: name.lowercase()
