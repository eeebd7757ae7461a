// Every label shown comes from the core (instrumentDefinitions()), in Danish or English after the
// phone's language, so Android and iOS render the same items with the same words.

package dk.gadeplan.app.logic

import dk.gadeplan.core.Instruments
import dk.gadeplan.core.InstrumentItem
import dk.gadeplan.core.Label
import dk.gadeplan.core.instrumentDefinitions
import java.util.Locale

object Labels {
    val instruments: Instruments by lazy { instrumentDefinitions() }
    private val danish: Boolean get() = Locale.getDefault().language == "da"

    fun text(label: Label): String = if (danish) label.da else label.en
    fun text(item: InstrumentItem): String = if (danish) item.da else item.en
    fun definition(item: InstrumentItem): String = if (danish) item.definitionDa else item.definitionEn

    /** The label of a code in a vocabulary (place kinds, outcomes…), or the code itself. */
    fun of(labels: List<Label>, code: String): String = labels.firstOrNull { it.code == code }?.let(::text) ?: code

    /** The app's own few words, the only ones the core does not provide. */
    fun ui(da: String, en: String): String = if (danish) da else en
}
