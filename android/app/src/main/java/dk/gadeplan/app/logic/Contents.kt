// One line of what a timeline entry says, from its typed content (the core's EntryContent): the
// app never reads an entry's JSON. The language is the one the core chose for the phone
// (labelLanguage), passed in by the caller: no Locale of its own, so a line never mixes English
// labels into a Danish screen. Plain Kotlin over the bindings: bindings/kotlin-test.sh compiles
// it and tests it on the JVM.

package dk.gadeplan.app.logic

import dk.gadeplan.core.AttributeValue
import dk.gadeplan.core.EntryContent
import dk.gadeplan.core.Language

object Contents {
    /** What the entry says beyond its title, on one line, in `language`; null where the title says it all. */
    fun line(content: EntryContent, language: Language): String? = Lines(Labels(language)).line(content)

    /** A person attribute's value as a worker reads it: text without quotes, a year, or "removed". */
    fun value(value: AttributeValue, language: Language): String = Lines(Labels(language)).value(value)
}

private class Lines(private val labels: Labels) {
    fun line(content: EntryContent): String? = when (content) {
        is EntryContent.PersonNoted -> content.v1.let { join(it.description, it.birthYear?.toString()) }
        is EntryContent.PersonUpdated -> content.v1.changes.joinToString(" · ") { "${attribute(it.attribute)}: ${value(it.value)}" }
        is EntryContent.PersonMerged -> null
        is EntryContent.RiskChecked -> content.v1.let { join("${it.score}/6", it.unknown, it.plan) }
        is EntryContent.ContactLogged -> content.v1.let {
            join(
                it.place,
                it.minutes?.let { m -> "$m min" },
                it.colleague?.let { c -> labels.ui("med $c", "with $c") } ?: labels.ui("alene", "alone"),
                it.note,
            )
        }
        is EntryContent.ScreeningRecorded -> content.v1.let { join(it.reason, it.referredTo) }
        is EntryContent.StageAssessed -> content.v1.let {
            join(
                it.recoveryGoal,
                it.importance?.let { i -> labels.ui("vigtighed $i", "importance $i") },
                it.confidence?.let { c -> labels.ui("tiltro $c", "confidence $c") },
                it.lifeControl?.let { l -> labels.ui("styr på livet $l", "in control $l") },
                it.craving?.let { c -> labels.ui("trang $c", "craving $c") },
                if (it.instrumentVersion == 1u) labels.ui("version 1", "version 1") else null,
            )
        }
        is EntryContent.CourseOpened -> content.v1.let { join(it.responsible.joinToString(" & "), labels.text(it.foundViaLabel)) }
        is EntryContent.CoursePhaseSet -> labels.text(content.v1.phaseLabel)
        is EntryContent.CourseClosed -> content.v1.let { join(labels.text(it.reasonLabel), it.treatmentStatusLabel?.let(labels::text)) }
        is EntryContent.TreatmentRequested -> null
        is EntryContent.TreatmentVisited -> content.v1.let { join(labels.text(it.kindLabel), labels.text(it.resultLabel), it.offer) }
        is EntryContent.TreatmentStarted -> content.v1.let { join(it.offer, labels.text(it.intensityLabel), it.counsellor) }
        is EntryContent.TreatmentHandedOver -> content.v1.let {
            join(
                it.counsellor,
                if (it.planHandedOver) labels.ui("plan overdraget", "plan handed over") else null,
                if (it.notifyNoShows) labels.ui("giver besked ved udeblivelse", "tells us of no-shows") else null,
                it.support,
            )
        }
        is EntryContent.ServiceBridged -> content.v1.let { join(labels.text(it.serviceLabel), labels.text(it.statusLabel), it.contact) }
        is EntryContent.NetworkNoted -> content.v1.let { join(labels.text(it.roleLabel), it.name, it.organisation, it.phone) }
        is EntryContent.ConsentGiven -> content.v1.let { join(it.toWhom, it.about, labels.text(it.formLabel)) }
        is EntryContent.ConsentWithdrawn -> null
        is EntryContent.DisclosureMade -> content.v1.let { join(it.toWhom, it.what) }
        is EntryContent.PlanSet -> content.v1.fields.let { join(it.goal, it.crisisPlan) }
        is EntryContent.PlanEvaluated -> content.v1.let { join("${it.goal}", labels.text(it.reachedLabel), it.comment) }
        is EntryContent.CooperationNoted -> content.v1.let { join(it.satisfaction, it.citizenComments, it.workerComments) }
        is EntryContent.IncidentRecorded -> content.v1.let {
            join(
                labels.text(it.kindLabel),
                it.unknown,
                it.place,
                if (it.policeCalled) labels.ui("politiet tilkaldt", "police called") else null,
                if (it.centreCalled) labels.ui("centret kontaktet", "centre called") else null,
                it.workers.takeIf { w -> w.isNotEmpty() }?.joinToString(", ")?.let { w -> labels.ui("med $w", "with $w") },
                it.note,
            )
        }
        is EntryContent.AreaNoted -> content.v1.let { join(it.name, labels.text(it.priorityLabel), it.times, it.note) }
        is EntryContent.PlaceNoted -> content.v1.let {
            join(it.name, labels.text(it.kindLabel), labels.text(it.ruleLabel), it.call, it.address, it.note)
        }
        is EntryContent.RoundPlanned -> content.v1.let {
            join(it.name, "${labels.text(it.weekdayLabel)} ${it.time}", labels.ui("${it.places.size} steder", "${it.places.size} places"), it.note)
        }
        is EntryContent.CheckinStarted -> content.v1.let {
            join(
                labels.text(it.reasonLabel),
                it.place,
                labels.ui("${it.minutes} min, ${it.watcher} holder øje", "${it.minutes} min, ${it.watcher} watching"),
                if (it.highRisk) labels.ui("høj risiko", "high risk") else null,
            )
        }
        is EntryContent.CheckinExtended -> content.v1.let { labels.ui("+${it.minutes} min", "+${it.minutes} min") }
        is EntryContent.CheckinEnded -> content.v1.let {
            if (it.onBehalf) labels.ui("meldt af kollegaen", "reported by the watcher") else labels.ui("ude igen", "out again")
        }
        is EntryContent.CheckinAcknowledged -> labels.ui("overtaget", "taken charge of")
        is EntryContent.QuestionnaireRecorded -> content.v1.let {
            join(
                labels.text(it.instrumentLabel),
                labels.text(it.occasionLabel),
                it.notPossible?.let { r -> labels.ui("ikke muligt: $r", "not possible: $r") }
                    ?: it.answers.joinToString(" ") { a -> a?.toString() ?: "–" },
            )
        }
        is EntryContent.EntryAmended -> content.v1.let { join(it.fields.joinToString(", ") { f -> attribute(f) }, it.reason) }
        is EntryContent.EntryVoided -> content.v1.reason
        is EntryContent.EntryErased -> content.v1.let {
            join(labels.ui("slettet på centret: ${it.entries}", "erased at the centre: ${it.entries}"), it.reason)
        }
    }

    fun value(value: AttributeValue): String = when (value) {
        is AttributeValue.Text -> value.text
        is AttributeValue.Year -> value.year.toString()
        is AttributeValue.Cleared -> labels.ui("fjernet", "removed")
    }

    private fun attribute(name: String): String = when (name) {
        "alias" -> labels.ui("alias", "alias")
        "description" -> labels.ui("beskrivelse", "description")
        "birth_year" -> labels.ui("fødselsår", "birth year")
        else -> name
    }

    private fun join(vararg parts: String?): String? =
        parts.filterNotNull().filter { it.isNotBlank() }.joinToString(" · ").ifEmpty { null }
}
