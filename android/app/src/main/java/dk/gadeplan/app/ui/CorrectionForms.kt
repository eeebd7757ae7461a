// The typed correction of each kind the core corrects (M10, audit P3): what fields the correction
// screen offers for a record, filled from what it says now, and the core's Correction made from
// the worker's draft. One field per thing the worker can type or choose: texts, numbers, one
// choice from a core vocabulary (the contact's outcome, the screening's decision, the network
// role) and the Brøset items seen. A field left as it was is not sent; a text emptied clears it
// where the core has a clear flag. The draft is a Map<String, String> (saved by Drafts'
// AnswersSaver), the Brøset items a comma-joined list of codes in it. Only kinds with the core's
// `canCorrect` reach here; what the core refuses (a value out of range, a time not HH:MM) it
// says through `describe` on saving.

package dk.gadeplan.app.ui

import dk.gadeplan.core.AreaCorrection
import dk.gadeplan.core.BrosetItem
import dk.gadeplan.core.ContactCorrection
import dk.gadeplan.core.Correction
import dk.gadeplan.core.CourseCorrection
import dk.gadeplan.core.Decision
import dk.gadeplan.core.EntryContent
import dk.gadeplan.core.Label
import dk.gadeplan.core.NetworkCorrection
import dk.gadeplan.core.NetworkRole
import dk.gadeplan.core.Outcome
import dk.gadeplan.core.PlaceCorrection
import dk.gadeplan.core.RiskCheckCorrection
import dk.gadeplan.core.RoundCorrection
import dk.gadeplan.core.ScreeningCorrection
import dk.gadeplan.core.StageCorrection

/** One field of a correction form. */
sealed interface FixField {
    val key: String
    val label: String
    val now: String

    data class Text(override val key: String, override val label: String, override val now: String, val number: Boolean = false) : FixField
    data class Choice(override val key: String, override val label: String, override val now: String, val labels: List<Label>) : FixField
    data class Items(override val key: String, override val label: String, override val now: String) : FixField
}

/** The fields the correction screen offers for a record's content (none for a kind without a typed correction). */
fun fixFields(content: EntryContent): List<FixField> = when (content) {
    is EntryContent.RiskChecked -> listOf(
        FixField.Items("observed", Words.instruments.broset.name.text(), brosetDraft(content.v1.observed.mapNotNull { it.codeIn(brosetCodes()) })),
        FixField.Text("plan", ui("Plan", "Plan"), content.v1.plan.orEmpty()),
    )
    is EntryContent.ContactLogged -> listOf(
        FixField.Text("place", ui("Sted", "Place"), content.v1.place),
        FixField.Choice("outcome", ui("Udfald", "Outcome"), content.v1.outcome.codeIn(Words.instruments.outcomes).orEmpty(), Words.instruments.outcomes),
        FixField.Text("minutes", ui("Minutter", "Minutes"), content.v1.minutes?.toString().orEmpty(), number = true),
        FixField.Text("note", ui("Note", "Note"), content.v1.note.orEmpty()),
    )
    is EntryContent.ScreeningRecorded -> listOf(
        FixField.Choice("decision", ui("Beslutning", "Decision"), content.v1.decision.codeIn(Words.instruments.screening.decisions).orEmpty(), Words.instruments.screening.decisions),
        FixField.Text("reason", ui("Begrundelse for beslutningen", "Reason for the decision"), content.v1.reason.orEmpty()),
        FixField.Text("referredTo", ui("Henvist til", "Referred to"), content.v1.referredTo.orEmpty()),
    )
    is EntryContent.StageAssessed -> listOf(
        FixField.Text("recoveryGoal", ui("Recovery-mål", "Recovery goal"), content.v1.recoveryGoal.orEmpty()),
        FixField.Text("importance", ui("Vigtighed (0–10)", "Importance (0–10)"), content.v1.importance?.toString().orEmpty(), number = true),
        FixField.Text("confidence", ui("Tiltro (0–10)", "Confidence (0–10)"), content.v1.confidence?.toString().orEmpty(), number = true),
        FixField.Text("lifeControl", ui("Styr på livet (0–10)", "Life control (0–10)"), content.v1.lifeControl?.toString().orEmpty(), number = true),
        FixField.Text("craving", ui("Trang (0–10)", "Craving (0–10)"), content.v1.craving?.toString().orEmpty(), number = true),
    )
    is EntryContent.CourseOpened -> listOf(
        FixField.Text("responsible", ui("Ansvarlige (adskilt af komma)", "Responsible (separated by commas)"), content.v1.responsible.joinToString(", ")),
    )
    is EntryContent.NetworkNoted -> listOf(
        FixField.Choice("role", ui("Rolle", "Role"), content.v1.role.codeIn(Words.instruments.course.networkRoles).orEmpty(), Words.instruments.course.networkRoles),
        FixField.Text("name", ui("Navn", "Name"), content.v1.name),
        FixField.Text("organisation", ui("Organisation", "Organisation"), content.v1.organisation.orEmpty()),
        FixField.Text("phone", ui("Telefon", "Phone"), content.v1.phone.orEmpty()),
    )
    is EntryContent.AreaNoted -> listOf(
        FixField.Text("name", ui("Navn", "Name"), content.v1.name),
        FixField.Text("times", ui("Tider", "Times"), content.v1.times.orEmpty()),
        FixField.Text("note", ui("Note", "Note"), content.v1.note.orEmpty()),
    )
    is EntryContent.PlaceNoted -> listOf(
        FixField.Text("name", ui("Navn", "Name"), content.v1.name),
        FixField.Text("address", ui("Adresse", "Address"), content.v1.address.orEmpty()),
        FixField.Text("call", ui("Ring til", "Call"), content.v1.call.orEmpty()),
        FixField.Text("note", ui("Note", "Note"), content.v1.note.orEmpty()),
    )
    is EntryContent.RoundPlanned -> listOf(
        FixField.Text("name", ui("Navn", "Name"), content.v1.name),
        FixField.Text("time", ui("Klokkeslæt (tt:mm)", "Time (hh:mm)"), content.v1.time),
        FixField.Text("note", ui("Note", "Note"), content.v1.note.orEmpty()),
    )
    else -> emptyList()
}

private fun brosetCodes(): List<Label> = Words.instruments.broset.items.map { Label(it.code, it.da, it.en) }

/** Brøset codes as the draft holds them: in the instrument's order, comma-joined (so "as it was" compares equal). */
fun brosetDraft(codes: Collection<String>): String = Words.instruments.broset.items.map { it.code }.filter { it in codes }.joinToString(",")

/** The core's typed correction for the draft, or null for a kind without one (then only the time). */
fun fixOf(content: EntryContent, draft: Map<String, String>): Correction? {
    val fields = fixFields(content).associateBy { it.key }
    /** The new value of a field, or null when it is as it was. */
    fun changed(key: String): String? {
        val now = fields[key]?.now ?: return null
        val typed = draft[key]?.trim() ?: return null
        return typed.takeIf { it != now }
    }
    fun set(key: String) = changed(key)?.takeIf { it.isNotEmpty() }
    fun cleared(key: String) = changed(key)?.isEmpty() == true
    fun number(key: String) = set(key)?.toUIntOrNull()
    fun small(key: String) = set(key)?.toIntOrNull()?.takeIf { it in 0..255 }?.toUByte()
    return when (content) {
        is EntryContent.RiskChecked -> Correction.RiskChecked(
            RiskCheckCorrection(
                observed = changed("observed")?.let { codes -> codes.split(',').filter { it.isNotBlank() }.mapNotNull { enumOf<BrosetItem>(it) } },
                plan = set("plan"),
                clearPlan = cleared("plan"),
            ),
        )
        is EntryContent.ContactLogged -> Correction.ContactLogged(
            ContactCorrection(
                place = set("place"),
                outcome = enumOf<Outcome>(set("outcome")),
                minutes = number("minutes"),
                clearMinutes = cleared("minutes"),
                note = set("note"),
                clearNote = cleared("note"),
            ),
        )
        is EntryContent.ScreeningRecorded -> Correction.ScreeningRecorded(
            ScreeningCorrection(
                decision = enumOf<Decision>(set("decision")),
                reason = set("reason"),
                clearReason = cleared("reason"),
                referredTo = set("referredTo"),
            ),
        )
        is EntryContent.StageAssessed -> Correction.StageAssessed(
            StageCorrection(
                importance = small("importance"), clearImportance = cleared("importance"),
                confidence = small("confidence"), clearConfidence = cleared("confidence"),
                recoveryGoal = set("recoveryGoal"), clearRecoveryGoal = cleared("recoveryGoal"),
                lifeControl = small("lifeControl"), clearLifeControl = cleared("lifeControl"),
                craving = small("craving"), clearCraving = cleared("craving"),
            ),
        )
        is EntryContent.CourseOpened -> Correction.CourseOpened(
            CourseCorrection(responsible = set("responsible")?.split(',')?.map { it.trim() }?.filter { it.isNotEmpty() }),
        )
        is EntryContent.NetworkNoted -> Correction.NetworkNoted(
            NetworkCorrection(
                role = enumOf<NetworkRole>(set("role")),
                name = set("name"),
                organisation = set("organisation"), clearOrganisation = cleared("organisation"),
                phone = set("phone"), clearPhone = cleared("phone"),
            ),
        )
        is EntryContent.AreaNoted -> Correction.AreaNoted(
            AreaCorrection(name = set("name"), times = set("times"), clearTimes = cleared("times"), note = set("note"), clearNote = cleared("note")),
        )
        is EntryContent.PlaceNoted -> Correction.PlaceNoted(
            PlaceCorrection(
                name = set("name"),
                address = set("address"), clearAddress = cleared("address"),
                call = set("call"), clearCall = cleared("call"),
                note = set("note"), clearNote = cleared("note"),
            ),
        )
        is EntryContent.RoundPlanned -> Correction.RoundPlanned(
            RoundCorrection(name = set("name"), time = set("time"), note = set("note"), clearNote = cleared("note")),
        )
        else -> null
    }
}
