// One line of what a timeline entry says, from its typed content (the core's EntryContent): the
// app never reads an entry's JSON. Plain Kotlin over the bindings: bindings/kotlin-test.sh
// compiles it and tests it on the JVM.

package dk.gadeplan.app.ui

import dk.gadeplan.core.AttributeValue
import dk.gadeplan.core.EntryContent

object Contents {
    /** What the entry says beyond its title, on one line; null where the title says it all. */
    fun line(content: EntryContent): String? = when (content) {
        is EntryContent.PersonNoted -> join(content.description, content.birthYear?.toString())
        is EntryContent.PersonUpdated -> content.changes.joinToString(" · ") { "${attribute(it.attribute)}: ${value(it.value)}" }
        is EntryContent.PersonMerged -> null
        is EntryContent.RiskChecked -> join("${content.score}/6", content.unknown, content.plan)
        is EntryContent.ContactLogged -> join(
            content.place,
            content.minutes?.let { "$it min" },
            content.colleague?.let { Labels.ui("med $it", "with $it") } ?: Labels.ui("alene", "alone"),
            content.note,
        )
        is EntryContent.ScreeningRecorded -> join(content.reason, content.referredTo)
        is EntryContent.StageAssessed -> join(
            content.importance?.let { Labels.ui("vigtighed $it", "importance $it") },
            content.confidence?.let { Labels.ui("tiltro $it", "confidence $it") },
        )
        is EntryContent.EntryAmended -> join(content.fields.joinToString(", ") { attribute(it) }, content.reason)
        is EntryContent.EntryVoided -> content.reason
    }

    /** A person attribute's value as a worker reads it: text without quotes, a year, or "removed". */
    fun value(value: AttributeValue): String = when (value) {
        is AttributeValue.Text -> value.text
        is AttributeValue.Year -> value.year.toString()
        is AttributeValue.Cleared -> Labels.ui("fjernet", "removed")
    }

    private fun attribute(name: String): String = when (name) {
        "alias" -> Labels.ui("alias", "alias")
        "description" -> Labels.ui("beskrivelse", "description")
        "birth_year" -> Labels.ui("fødselsår", "birth year")
        else -> name
    }

    private fun join(vararg parts: String?): String? =
        parts.filterNotNull().filter { it.isNotBlank() }.joinToString(" · ").ifEmpty { null }
}
