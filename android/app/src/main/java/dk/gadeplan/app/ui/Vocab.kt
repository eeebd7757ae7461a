// The vocabularies of bridge-building, the network, consents and the plan, which the core has
// (core/src/vocabulary.rs) but does not yet hand the shells through instrumentDefinitions():
// until it does, their words are copied here verbatim from the core (code, Danish, English), so
// the phone shows what the timeline's labels will say. Each list is built from the enum's values
// (a value added in the core shows under its code until it is worded here), and a chosen code is
// turned back into the enum by name (enumOf), never by position (A27).
// TODO(core): move these into Instruments and delete this file.

package dk.gadeplan.app.ui

import dk.gadeplan.core.BridgeService
import dk.gadeplan.core.BridgeStatus
import dk.gadeplan.core.ConsentForm
import dk.gadeplan.core.GoalKind
import dk.gadeplan.core.GoalReached
import dk.gadeplan.core.Label
import dk.gadeplan.core.NetworkRole
import dk.gadeplan.core.TreatmentIntensity
import dk.gadeplan.core.VisitationKind
import dk.gadeplan.core.VisitationResult

object Vocab {
    val visitationKinds = labels<VisitationKind>(
        "conference" to ("Behandlingskonference (visitationsmøde)" to "Treatment conference"),
        "direct" to ("Visitationsret (de udgående behandlere visiterer selv)" to "Direct, by the workers' right to visit"),
    )
    val visitationResults = labels<VisitationResult>(
        "admitted" to ("Visiteret til behandling" to "Admitted"),
        "not-admitted" to ("Ikke visiteret" to "Not admitted"),
        "postponed" to ("Udsat" to "Postponed"),
    )
    val treatmentIntensities = labels<TreatmentIntensity>(
        "residential" to ("Døgnbehandling" to "Residential treatment"),
        "day" to ("Dagbehandling" to "Day treatment"),
        "ambulant-day" to ("Ambulant dagbehandling" to "Ambulant day treatment"),
        "ambulant" to ("Ambulant behandling" to "Ambulant treatment"),
        "ad-hoc" to ("Ad hoc-samtaler" to "Ad hoc conversations"),
    )
    val bridgeServices = labels<BridgeService>(
        "gp" to ("Egen læge" to "GP"),
        "psychiatry" to ("Behandlingspsykiatrien" to "Psychiatry"),
        "housing-support" to ("Bostøtte" to "Housing support"),
        "support-contact" to ("Støttekontaktperson" to "Support contact person"),
        "caseworker" to ("Sagsbehandler" to "Caseworker"),
        "other" to ("Andet" to "Other"),
    )
    val bridgeStatuses = labels<BridgeStatus>(
        "contacted" to ("Kontakt etableret" to "Contacted"),
        "stable-contact" to ("Stabil kontakt" to "Stable contact"),
        "dropped" to ("Kontakten er faldet væk" to "Dropped"),
    )
    val networkRoles = labels<NetworkRole>(
        "housing-support" to ("Bostøtte" to "Housing support"),
        "support-contact" to ("Støttekontaktperson" to "Support contact person"),
        "caseworker" to ("Sagsbehandler" to "Caseworker"),
        "gp" to ("Egen læge" to "GP"),
        "psychiatry" to ("Behandlingspsykiatrien" to "Psychiatry"),
        "relative" to ("Pårørende" to "Relative"),
        "civil-society" to ("Civilsamfundet" to "Civil society"),
        "other" to ("Andet" to "Other"),
    )
    val consentForms = labels<ConsentForm>(
        "verbal" to ("Mundtligt" to "Verbal"),
        "written" to ("Skriftligt" to "Written"),
    )
    val goalKinds = labels<GoalKind>(
        "abstinence" to ("Stoffrihed" to "Abstinence"),
        "reduction" to ("Reduktion af stofforbrug" to "Reduction"),
        "stabilisation" to ("Stabilisering" to "Stabilisation"),
    )
    val goalReached = labels<GoalReached>(
        "not-at-all" to ("Nej, slet ikke" to "No, not at all"),
        "to-some-degree" to ("I nogen grad" to "To some degree"),
        "yes" to ("Ja" to "Yes"),
        "yes-more" to ("Ja, mere end det" to "Yes, more than that"),
        "yes-much-more" to ("Ja, meget mere end det" to "Yes, much more than that"),
        "no-longer-relevant" to ("Målet er ikke længere aktuelt" to "The goal is no longer relevant"),
    )

    /** One label per value of E, in the enum's order, worded from `words` (matched by code). */
    private inline fun <reified E : Enum<E>> labels(vararg words: Pair<String, Pair<String, String>>): List<Label> =
        enumValues<E>().map { value ->
            val worded = words.firstOrNull { normalCode(it.first) == normalCode(value.name) }
            val code = worded?.first ?: value.name.lowercase().replace('_', '-')
            Label(code, worded?.second?.first ?: code, worded?.second?.second ?: code)
        }
}
