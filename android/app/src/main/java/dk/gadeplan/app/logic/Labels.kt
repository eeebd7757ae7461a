// Every label shown comes from the core (instrumentDefinitions(), and the labels an entry's typed
// content carries), in the language the core chose from the phone's preferred languages
// (labelLanguage, read by the platform layer and passed in): this layer never asks the JVM's
// Locale, so the timeline's lines, the screens' words and the errors agree on one language.

package dk.gadeplan.app.logic

import dk.gadeplan.core.InstrumentItem
import dk.gadeplan.core.Instruments
import dk.gadeplan.core.Label
import dk.gadeplan.core.Language
import dk.gadeplan.core.instrumentDefinitions

class Labels(val language: Language) {
    private val danish: Boolean get() = language == Language.DANISH

    fun text(label: Label): String = if (danish) label.da else label.en
    fun text(item: InstrumentItem): String = if (danish) item.da else item.en
    fun definition(item: InstrumentItem): String = if (danish) item.definitionDa else item.definitionEn

    /** The label of a code in a vocabulary (place kinds, outcomes…), or the code itself. */
    fun of(labels: List<Label>, code: String): String = labels.firstOrNull { it.code == code }?.let(::text) ?: code

    /** The app's own few words, the only ones the core does not provide. */
    fun ui(da: String, en: String): String = if (danish) da else en

    companion object {
        val instruments: Instruments by lazy { instrumentDefinitions() }
    }
}
