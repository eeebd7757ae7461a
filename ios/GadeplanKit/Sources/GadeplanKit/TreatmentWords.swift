// The words of the treatment vocabularies that `instrumentDefinitions()` does not carry yet
// (visitation, intensity, services bridged to, network roles, consent forms, goal kinds, "Er
// målet nået"): copied word for word from the core's `core/src/vocabulary.rs`, with the core's
// codes, so the pickers say what the timeline (the core's own `…Label` of each record) says.
// Every other picker takes its words from the core at run time. The tests check each list's
// codes against the enum's cases; when the core exports these lists, this file goes.

import GadeplanCore

public enum TreatmentWords {
    private static func l(_ code: String, _ da: String, _ en: String) -> GadeplanCore.Label {
        GadeplanCore.Label(code: code, da: da, en: en)
    }

    public static let visitationKinds: [GadeplanCore.Label] = [
        l("conference", "Behandlingskonference (visitationsmøde)", "Treatment conference"),
        l("direct", "Visitationsret (de udgående behandlere visiterer selv)", "Direct, by the workers' right to visit"),
    ]

    public static let visitationResults: [GadeplanCore.Label] = [
        l("admitted", "Visiteret til behandling", "Admitted"),
        l("not-admitted", "Ikke visiteret", "Not admitted"),
        l("postponed", "Udsat", "Postponed"),
    ]

    public static let intensities: [GadeplanCore.Label] = [
        l("residential", "Døgnbehandling", "Residential treatment"),
        l("day", "Dagbehandling", "Day treatment"),
        l("ambulant-day", "Ambulant dagbehandling", "Ambulant day treatment"),
        l("ambulant", "Ambulant behandling", "Ambulant treatment"),
        l("ad-hoc", "Ad hoc-samtaler", "Ad hoc conversations"),
    ]

    public static let bridgeServices: [GadeplanCore.Label] = [
        l("gp", "Egen læge", "GP"),
        l("psychiatry", "Behandlingspsykiatrien", "Psychiatry"),
        l("housing-support", "Bostøtte", "Housing support"),
        l("support-contact", "Støttekontaktperson", "Support contact person"),
        l("caseworker", "Sagsbehandler", "Caseworker"),
        l("other", "Andet", "Other"),
    ]

    public static let bridgeStatuses: [GadeplanCore.Label] = [
        l("contacted", "Kontakt etableret", "Contacted"),
        l("stable-contact", "Stabil kontakt", "Stable contact"),
        l("dropped", "Kontakten er faldet væk", "Dropped"),
    ]

    public static let networkRoles: [GadeplanCore.Label] = [
        l("housing-support", "Bostøtte", "Housing support"),
        l("support-contact", "Støttekontaktperson", "Support contact person"),
        l("caseworker", "Sagsbehandler", "Caseworker"),
        l("gp", "Egen læge", "GP"),
        l("psychiatry", "Behandlingspsykiatrien", "Psychiatry"),
        l("relative", "Pårørende", "Relative"),
        l("civil-society", "Civilsamfundet", "Civil society"),
        l("other", "Andet", "Other"),
    ]

    public static let consentForms: [GadeplanCore.Label] = [
        l("verbal", "Mundtligt", "Verbal"),
        l("written", "Skriftligt", "Written"),
    ]

    public static let goalKinds: [GadeplanCore.Label] = [
        l("abstinence", "Stoffrihed", "Abstinence"),
        l("reduction", "Reduktion af stofforbrug", "Reduction"),
        l("stabilisation", "Stabilisering", "Stabilisation"),
    ]

    public static let goalReached: [GadeplanCore.Label] = [
        l("not-at-all", "Nej, slet ikke", "No, not at all"),
        l("to-some-degree", "I nogen grad", "To some degree"),
        l("yes", "Ja", "Yes"),
        l("yes-more", "Ja, mere end det", "Yes, more than that"),
        l("yes-much-more", "Ja, meget mere end det", "Yes, much more than that"),
        l("no-longer-relevant", "Målet er ikke længere aktuelt", "The goal is no longer relevant"),
    ]
}
