//! The closed vocabularies of the outreach work: place kinds, contact kinds, outcomes, risk bands,
//! stages of change, screening decisions and the like.
//!
//! Each vocabulary is an enum whose *code* (kebab-case, e.g. `not-approached-risk`) is the spelling
//! used by the CLI, the journal and the sync wire format, and whose Danish and English labels are
//! what the phone shells display. One macro defines them all so that code, parsing and labels can
//! never drift apart; `all()` lists the variants in display order for pickers on the phones.

use crate::error::Error;

/// A label in both languages the shells support.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, uniffi::Record)]
pub struct Label {
    pub code: String,
    pub da: String,
    pub en: String,
}

/// The language the shells show labels in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, uniffi::Enum)]
pub enum Language {
    Danish,
    English,
}

/// The language for a phone whose preferred languages are `preferred` (BCP 47 tags, most
/// preferred first, as Android's `LocaleList` and iOS's `Locale.preferredLanguages` give them):
/// Danish unless the phone prefers English before Danish (issue 18: a Danish iPhone showed
/// English labels because the app followed its own localisations). A Danish or Faroese or
/// Greenlandic phone, or one whose languages say nothing either way, gets Danish: the seeds'
/// words are Danish, and the workers are Danish municipal staff.
#[uniffi::export]
pub fn label_language(preferred: Vec<String>) -> Language {
    for tag in &preferred {
        let language = tag
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match language.as_str() {
            "da" | "fo" | "kl" => return Language::Danish,
            "en" => return Language::English,
            _ => {}
        }
    }
    Language::Danish
}

impl Label {
    /// The label in `language`.
    pub fn text(&self, language: Language) -> &str {
        match language {
            Language::Danish => &self.da,
            Language::English => &self.en,
        }
    }
}

thread_local! {
    /// Set while `to_danish_json` serialises: every vocabulary value then says its Danish label.
    static IN_DANISH: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

pub(crate) fn in_danish() -> bool {
    IN_DANISH.with(std::cell::Cell::get)
}

/// `value` as JSON with every vocabulary value given as its Danish label instead of its code
/// (the seeds' words: a Brøset item, a criterion, a stage): for a document a person reads, the
/// citizen's access report, never for the wire or the journal, which keep the codes.
pub fn to_danish_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            IN_DANISH.with(|d| d.set(false));
        }
    }
    IN_DANISH.with(|d| d.set(true));
    let _reset = Reset;
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $variant:ident = $code:literal, $da:literal, $en:literal; )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, uniffi::Enum)]
        pub enum $name {
            $( $variant, )+
        }

        impl $name {
            /// Every variant, in the order the shells should offer them.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )+ ];

            /// The stable code used on the wire, in the journal and by the CLI.
            pub fn code(self) -> &'static str {
                match self { $( $name::$variant => $code, )+ }
            }

            /// Parses a code; an unknown one is a typed error naming the allowed codes.
            pub fn parse(code: &str) -> Result<Self, Error> {
                match code {
                    $( $code => Ok($name::$variant), )+
                    _ => Err(Error::invalid(
                        $what.replace(' ', "_"),
                        format!("unknown {}; allowed: {}", $what, Self::codes().join(", ")),
                    )),
                }
            }

            pub fn codes() -> Vec<&'static str> {
                Self::ALL.iter().map(|v| v.code()).collect()
            }

            pub fn label(self) -> Label {
                match self {
                    $( $name::$variant => Label {
                        code: $code.to_string(), da: $da.to_string(), en: $en.to_string(),
                    }, )+
                }
            }

            pub fn labels() -> Vec<Label> {
                Self::ALL.iter().map(|v| v.label()).collect()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                if $crate::vocabulary::in_danish() {
                    let da = match self { $( $name::$variant => $da, )+ };
                    return s.serialize_str(da);
                }
                s.serialize_str(self.code())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::parse(&code).map_err(|e| serde::de::Error::custom(e.to_string()))
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// Where a contact took place (002 L202–210, L1380).
    PlaceKind, "place kind" {
        Street = "street", "Gade", "Street";
        Park = "park", "Park", "Park";
        DropIn = "drop-in", "Værested", "Drop-in centre";
        WarmingRoom = "warming-room", "Varmestue", "Warming room";
        Shelter = "shelter", "Forsorgshjem/herberg", "Shelter";
        NightCafe = "night-cafe", "Natcafé", "Night café";
        ConsumptionRoom = "consumption-room", "Stofindtagelsesrum", "Drug consumption room";
        Home = "home", "Eget hjem", "Own home";
        Hospital = "hospital", "Hospital/psykiatri", "Hospital/psychiatry";
        Phone = "phone", "Telefon", "Phone";
        Other = "other", "Andet", "Other";
        Education = "education", "Uddannelsesinstitutioner, produktionsskoler og i ungdomshuse", "Schools, production schools and youth centres";
        TreatmentCentre = "treatment-centre", "Behandlingscenteret", "Treatment centre";
        Gp = "gp", "Egen læge", "GP";
        Authority = "authority", "Myndighedsområdet (sagsbehandler, jobcenter)", "Authority (caseworker, jobcentre)";
    }
}

vocabulary! {
    /// What kind of contact it was. `about-citizen` is a contact with someone else about the
    /// citizen (a partner, the counsellor, the GP), the citizen not there (002 L1264–1268); a
    /// `meeting` names which (`MeetingKind`).
    ContactKind, "contact kind" {
        Observation = "observation", "Observation", "Observation";
        BriefContact = "brief-contact", "Kort kontakt", "Brief contact";
        Conversation = "conversation", "Samtale", "Conversation";
        PracticalHelp = "practical-help", "Praktisk hjælp", "Practical help";
        Accompaniment = "accompaniment", "Ledsagelse", "Accompaniment";
        Referral = "referral", "Henvisning", "Referral";
        AboutCitizen = "about-citizen", "Kontakt om borgeren (borgeren ikke til stede)", "About the citizen (the citizen not present)";
        Meeting = "meeting", "Møde", "Meeting";
    }
}

vocabulary! {
    /// Which meeting a `meeting` contact was: the treatment conference (002 L2189–2190, as
    /// printed), the first meetings in the treatment offer the workers follow the citizen to
    /// (from L2200–2201) and a joint meeting with partners (from "Fællesmøder med
    /// samarbejdspartnere", L3413) *(the last two the project's words, from the seed's)*.
    MeetingKind, "meeting kind" {
        VisitationConference = "visitation-conference", "Behandlingskonference (visitationsmøde)", "Treatment conference (visitation)";
        FirstTreatmentMeeting = "first-treatment-meeting", "De første møder i behandlingstilbuddet", "The first meetings in the treatment offer";
        PartnerMeeting = "partner-meeting", "Fællesmøde med samarbejdspartnere", "Joint meeting with partners";
    }
}

vocabulary! {
    /// How the contact attempt ended.
    Outcome, "outcome" {
        ContactMade = "contact-made", "Kontakt opnået", "Contact made";
        Declined = "declined", "Afvist af borgeren", "Declined by the citizen";
        NotApproachedRisk = "not-approached-risk", "Ikke kontaktet pga. risiko", "Not approached: risk";
        NotFound = "not-found", "Ikke truffet", "Not found";
        // The project's words, from "udebliver fra aftaler" (001 L3089) and "af sikkerhedshensyn
        // skal forlade området" (002 L2609–2610).
        NoShow = "no-show", "Udeblevet fra aftale", "Did not come to an agreed meeting";
        LeftForSafety = "left-for-safety", "Forladt området af sikkerhedshensyn", "Left the area for safety";
    }
}

impl Outcome {
    /// Whether the workers saw the citizen: the approach made, declined, or broken off for
    /// safety. Such contacts move the person's "last seen" (a search that found nobody, or a
    /// meeting the citizen did not come to, is not contact with the citizen).
    pub fn saw_citizen(self) -> bool {
        match self {
            Outcome::ContactMade | Outcome::Declined | Outcome::LeftForSafety => true,
            Outcome::NotApproachedRisk | Outcome::NotFound | Outcome::NoShow => false,
        }
    }
}

impl PlaceKind {
    /// The payload version that brought this code (`journal::PAYLOAD_VERSION`).
    pub fn since_version(self) -> u32 {
        match self {
            PlaceKind::Education
            | PlaceKind::TreatmentCentre
            | PlaceKind::Gp
            | PlaceKind::Authority => 2,
            PlaceKind::Street
            | PlaceKind::Park
            | PlaceKind::DropIn
            | PlaceKind::WarmingRoom
            | PlaceKind::Shelter
            | PlaceKind::NightCafe
            | PlaceKind::ConsumptionRoom
            | PlaceKind::Home
            | PlaceKind::Hospital
            | PlaceKind::Phone
            | PlaceKind::Other => 1,
        }
    }
}

impl PlaceKind {
    /// Whether a place is out in the citizens' own environment, where the seeds' rule of never
    /// meeting unknown citizens alone applies (002 L2599–2601, L3683–3685); a home visit has its
    /// own rules, and a phone call, a hospital or an office are not the street.
    pub fn citizens_environment(self) -> bool {
        match self {
            PlaceKind::Street
            | PlaceKind::Park
            | PlaceKind::DropIn
            | PlaceKind::WarmingRoom
            | PlaceKind::Shelter
            | PlaceKind::NightCafe
            | PlaceKind::ConsumptionRoom
            | PlaceKind::Other => true,
            PlaceKind::Home
            | PlaceKind::Hospital
            | PlaceKind::Phone
            | PlaceKind::Education
            | PlaceKind::TreatmentCentre
            | PlaceKind::Gp
            | PlaceKind::Authority => false,
        }
    }
}

impl Outcome {
    /// The payload version that brought this code.
    pub fn since_version(self) -> u32 {
        match self {
            Outcome::NoShow | Outcome::LeftForSafety => 2,
            Outcome::ContactMade
            | Outcome::Declined
            | Outcome::NotApproachedRisk
            | Outcome::NotFound => 1,
        }
    }
}

impl ContactKind {
    /// The payload version that brought this code.
    pub fn since_version(self) -> u32 {
        match self {
            ContactKind::AboutCitizen | ContactKind::Meeting => 2,
            ContactKind::Observation
            | ContactKind::BriefContact
            | ContactKind::Conversation
            | ContactKind::PracticalHelp
            | ContactKind::Accompaniment
            | ContactKind::Referral => 1,
        }
    }

    /// Whether the citizen takes part in a contact of this kind (not in one about them).
    pub fn citizen_present(self) -> bool {
        match self {
            ContactKind::AboutCitizen => false,
            ContactKind::Observation
            | ContactKind::BriefContact
            | ContactKind::Conversation
            | ContactKind::PracticalHelp
            | ContactKind::Accompaniment
            | ContactKind::Referral
            | ContactKind::Meeting => true,
        }
    }

    /// Whether a contact of this kind, made, is a conversation with the citizen: everything but
    /// watching from a distance and talking about them to someone else (004 L953–971 counts
    /// intensity in conversations).
    pub fn talks_with_citizen(self) -> bool {
        self.citizen_present() && self != ContactKind::Observation
    }
}

vocabulary! {
    /// The three bands of the Brøset Violence Checklist (Bilag 1A).
    RiskBand, "risk band" {
        Low = "low", "Lille risiko for vold", "Low risk of violence";
        Moderate = "moderate", "Moderat risiko for vold", "Moderate risk of violence";
        High = "high", "Høj risiko for vold", "High risk of violence";
    }
}

vocabulary! {
    /// The six behaviours of the Brøset Violence Checklist, in the instrument's order.
    BrosetItem, "Brøset item" {
        Confusion = "confusion", "Forvirring", "Confusion";
        Irritability = "irritability", "Irritabilitet", "Irritability";
        Boisterousness = "boisterousness", "Støjende adfærd", "Boisterousness";
        PhysicalThreats = "physical-threats", "Fysiske trusler", "Physical threats";
        VerbalThreats = "verbal-threats", "Verbale trusler", "Verbal threats";
        AttacksOnObjects = "attacks-on-objects", "Angreb på ting eller genstande", "Attacks on objects";
    }
}

vocabulary! {
    /// The inclusion criteria the worker answers directly; the complex-burden criterion is not
    /// here because the core computes it from the burden areas.
    Criterion, "criterion" {
        Section101 = "section-101", "Målgruppe for social stofmisbrugsbehandling (SEL § 101)", "Target group for social drug treatment (Social Services Act § 101)";
        DrugUse = "drug-use", "Stofmisbrug, ofte intenst blandingsmisbrug", "Drug use, often intense mixed use";
        LimitedTreatmentUse = "limited-treatment-use", "Bruger ikke eller kun begrænset eksisterende behandling, eller i risiko for at falde ud", "Does not or only to a limited extent use existing treatment, or at risk of dropping out";
        MultiSystemNeed = "multi-system-need", "Behov for støtte fra flere systemer", "Needs support from several systems";
        BurdenedSituation = "burdened-situation", "Borgere, der oplever sig besværet af deres aktuelle situation, og som opholder sig på forsorgshjem, væresteder eller gaden. Der er også borgere i målgruppen, som oftere opholder sig i eget hjem eller færdes steder, som ikke nødvendigvis forbindes med det ”konventionelle” misbrugsmiljø.", "Burdened by their present situation, staying at shelters, drop-in centres or on the street. Some in the target group more often stay in their own home or go to places not necessarily connected with the \"conventional\" drug scene.";
    }
}

vocabulary! {
    /// The answer to one criterion or burden area of the pre-screening (version 2): screening
    /// happens gradually, through conversation and partners (002 L1264–1268), so "not yet known"
    /// is an answer *(the words are the project's own)*.
    CriterionAnswer, "criterion answer" {
        Met = "met", "Opfyldt", "Met";
        NotMet = "not-met", "Ikke opfyldt", "Not met";
        Unknown = "unknown", "Ikke afklaret endnu", "Not known yet";
    }
}

vocabulary! {
    /// The five areas of the complex-burden criterion; at least three high meets it.
    BurdenArea, "burden area" {
        PhysicalHealth = "physical-health", "Fysisk helbred", "Physical health";
        MentalHealth = "mental-health", "Psykisk helbred", "Mental health";
        Economy = "economy", "Økonomi", "Economy";
        Crime = "crime", "Kriminalitet", "Crime";
        FamilySocial = "family-social", "Familiemæssige og sociale relationer", "Family and social relations";
    }
}

vocabulary! {
    /// The worker's pre-screening decision: a professional assessment (002 L128–132).
    Decision, "decision" {
        In = "in", "I målgruppen", "In the target group";
        Outside = "outside", "Uden for målgruppen (hjælp til eksisterende tilbud)", "Outside the target group (helped to existing services)";
        Undecided = "undecided", "Uafklaret", "Undecided";
    }
}

vocabulary! {
    /// How a citizen outside the target group is helped on (002 L1308–1317).
    ReferralKind, "referral kind" {
        Guide = "guide", "Vejlede", "Guide";
        Refer = "refer", "Henvise", "Refer";
        HandOver = "hand-over", "Overdrage", "Hand over";
    }
}

vocabulary! {
    /// Stages of change in the model's short form (Bilag 1B), named as 002 L600–632 names them.
    Stage, "stage" {
        Precontemplation = "precontemplation", "Førovervejelsesfasen (lav parathed)", "Pre-contemplation (low readiness)";
        Contemplation = "contemplation", "Overvejelsesfasen (middelhøj parathed)", "Contemplation (medium readiness)";
        Action = "action", "Forberedelses-, påbegyndelses- og vedligeholdelsesfasen (høj parathed)", "Preparation, action and maintenance (high readiness)";
        Relapse = "relapse", "Tilbagefaldsfasen", "Relapse";
    }
}

vocabulary! {
    /// How the citizen was found, the route into the course. The categories are the seeds'
    /// routes in (000 L175–195; 001 L2201–2217); the seeds print no list, so the Danish words are
    /// the project's own, from theirs.
    FoundVia, "found via" {
        OwnOutreach = "own-outreach", "Egen opsøgende indsats", "Own outreach";
        KnownCitizen = "known-citizen", "Kendt af behandlerne i forvejen", "Already known to the workers";
        SupportContact = "support-contact", "Støttekontaktperson", "Support contact person";
        CivilSociety = "civil-society", "Civilsamfundet", "Civil society";
        Caseworker = "caseworker", "Myndighedssagsbehandler", "Caseworker";
        PsychiatryHospital = "psychiatry-hospital", "Psykiatri eller sygehus", "Psychiatry or hospital";
        ShelterDropIn = "shelter-drop-in", "Herberg, værested eller varmestue", "Shelter, drop-in or warming room";
        Other = "other", "Andet", "Other";
    }
}

vocabulary! {
    /// The citizen's attachment to the drug treatment system before the effort, as the pilot
    /// counted it (001 L1389–1406; the third category's words are the text's, L1391–1393).
    TreatmentAttachment, "treatment attachment" {
        UnknownToSystem = "unknown-to-system", "Borgeren er hidtil ukendt i stofmisbrugsbehandlingssystemet", "Unknown to the drug treatment system until now";
        KnownNoContact = "known-no-contact", "Borgeren er tidligere kendt i stofmisbrugsbehandlingssystemet, men har ingen kontakt til stofmisbrugsbehandlingssystemet", "Known to the system before, but no contact with it";
        Sporadic = "sporadic", "Sporadisk kontakt til stofmisbrugsbehandlingssystemet (sjældnere end hver 14. dag)", "Sporadic contact with the system (less often than every 14 days)";
    }
}

vocabulary! {
    /// The citizen's attachment to substitution treatment before the effort (001 L1421–1437).
    SubstitutionAttachment, "substitution attachment" {
        Never = "never", "Borgeren modtager ikke substitutionsbehandling og har ikke tidligere modtaget substitutionsbehandling", "Not in substitution treatment, and never was";
        Earlier = "earlier", "Borgeren modtager ikke substitutionsbehandling, men har tidligere modtaget substitutionsbehandling", "Not in substitution treatment, but was earlier";
        Current = "current", "Borgeren modtager i øjeblikket substitutionsbehandling", "In substitution treatment now";
    }
}

vocabulary! {
    /// The citizen's attachment to other social and health services before the effort
    /// (001 L1452–1464).
    ServicesAttachment, "services attachment" {
        None = "none", "Borgeren modtager ingen øvrige sociale og sundhedsfaglige tilbud og har ikke tidligere modtaget sociale- og sundhedsfaglige tilbud", "No other social or health services, and never had";
        Earlier = "earlier", "Borgeren modtager ingen øvrige sociale og sundhedsfaglige tilbud, men har tidligere modtaget øvrige sociale- og sundhedsfaglige tilbud", "No other social or health services now, but had earlier";
        Current = "current", "Borgeren modtager i øjeblikket øvrige sociale og sundhedsfaglige tilbud", "Receives other social or health services now";
    }
}

vocabulary! {
    /// Where a course stands: the model's three phases (002 L1073, L1429, L2131), the third
    /// split at its first step into bridging and the treatment that follows (L2155).
    CoursePhase, "course phase" {
        Contact = "contact", "Udgående og kontaktskabende indsats", "Outreach and contact";
        Motivation = "motivation", "Motivationsarbejde", "Motivation work";
        Bridging = "bridging", "Brobygning til stofmisbrugsbehandling", "Bridging into drug treatment";
        InTreatment = "in-treatment", "Fortsat behandling", "Continued treatment";
    }
}

vocabulary! {
    /// Why a course was closed (002 L2307–2309; 001 L3347–3354 names not wanting to continue,
    /// psychiatric needs and moving away). The seeds print no list; the words are the project's
    /// own, from theirs.
    CloseReason, "close reason" {
        Treatment = "treatment", "Overdraget til stofmisbrugsbehandling", "Handed over to drug treatment";
        OtherService = "other-service", "Overdraget til andet tilbud", "Handed over to another service";
        GoalReached = "goal-reached", "Målet er nået", "Goal reached";
        CitizenEnded = "citizen-ended", "Borgeren har ikke ønsket at fortsætte", "The citizen did not want to continue";
        LostContact = "lost-contact", "Kontakten er mistet", "Contact lost";
        Moved = "moved", "Flyttet til en anden kommune", "Moved to another municipality";
        Died = "died", "Død", "Died";
        OutsideTargetGroup = "outside-target-group", "Uden for målgruppen", "Outside the target group";
        Other = "other", "Andet", "Other";
    }
}

impl CloseReason {
    /// Whether the follow-up questionnaires three months after treatment started are still asked
    /// after a course closed for this reason (not of a citizen who died, moved away, or was
    /// found outside the target group).
    pub fn follow_up_after(self) -> bool {
        match self {
            CloseReason::Died | CloseReason::Moved | CloseReason::OutsideTargetGroup => false,
            CloseReason::Treatment
            | CloseReason::OtherService
            | CloseReason::GoalReached
            | CloseReason::CitizenEnded
            | CloseReason::LostContact
            | CloseReason::Other => true,
        }
    }
}

vocabulary! {
    /// For a citizen bridged into treatment, where the treatment stood when the course closed
    /// (001 L3334–3336, L3347).
    TreatmentStatus, "treatment status" {
        Continuing = "continuing", "Fortsat i social stofmisbrugsbehandling", "Continuing in social drug treatment";
        Completed = "completed", "Afsluttet og udskrevet som færdigbehandlet", "Completed and discharged";
        DroppedOut = "dropped-out", "Faldet ud af social stofmisbrugsbehandling", "Dropped out of social drug treatment";
    }
}

vocabulary! {
    /// How the citizen was visited into treatment: at a treatment conference (002 L2188–2192), or
    /// directly by the outreach workers' right to visit (002 L3185–3190).
    VisitationKind, "visitation kind" {
        Conference = "conference", "Behandlingskonference (visitationsmøde)", "Treatment conference";
        Direct = "direct", "Visitationsret (de udgående behandlere visiterer selv)", "Direct, by the workers' right to visit";
    }
}

vocabulary! {
    /// What the visitation decided *(the seeds print no list; the words are the project's own)*.
    VisitationResult, "visitation result" {
        Admitted = "admitted", "Visiteret til behandling", "Admitted";
        NotAdmitted = "not-admitted", "Ikke visiteret", "Not admitted";
        Postponed = "postponed", "Udsat", "Postponed";
    }
}

vocabulary! {
    /// The five intensities of social drug treatment (004 L958–971).
    TreatmentIntensity, "treatment intensity" {
        Residential = "residential", "Døgnbehandling", "Residential treatment";
        Day = "day", "Dagbehandling", "Day treatment";
        AmbulantDay = "ambulant-day", "Ambulant dagbehandling", "Ambulant day treatment";
        Ambulant = "ambulant", "Ambulant behandling", "Ambulant treatment";
        AdHoc = "ad-hoc", "Ad hoc-samtaler", "Ad hoc conversations";
    }
}

vocabulary! {
    /// The intensity a citizen's conversations with the outreach workers correspond to, in the
    /// classes of social drug treatment (004 L958–971): ambulant "mindst to gange om måneden og
    /// højest otte gange om måneden", ad hoc "under én samtale hver 14. dag". More than eight a
    /// month has no class of its own among the outreach work's *(its words are the project's)*.
    ContactIntensity, "contact intensity" {
        AdHoc = "ad-hoc", "Ad hoc-samtaler (under én samtale hver 14. dag)", "Ad hoc (less than one conversation every 14 days)";
        Ambulant = "ambulant", "Ambulant (mindst to gange om måneden og højest otte gange om måneden)", "Ambulant (at least twice and at most eight times a month)";
        AboveAmbulant = "above-ambulant", "Mere end otte samtaler om måneden", "More than eight conversations a month";
    }
}

vocabulary! {
    /// The safety rules a contact did not follow, warned of when it is recorded and kept in it
    /// (issue 15; 002 L2589–2620: "bør som udgangspunkt", defaults with professional exceptions,
    /// so warnings and never refusals) *(the words are the project's, from the seed's)*.
    SafetyWarning, "safety warning" {
        SoloWithUnknown = "solo-with-unknown", "Kontakt med en ukendt borger uden en kollega", "Contact with an unknown citizen without a colleague";
        SoloHomeVisit = "solo-home-visit", "Hjemmebesøg alene uden en vurdering af, at det er sikkerhedsmæssigt forsvarligt", "Home visit alone with no judgement that it is safe";
        UnannouncedHomeVisitAlone = "unannounced-home-visit-alone", "Uanmeldt hjemmebesøg uden to behandlere", "Unannounced home visit without two workers";
        NoCurrentRiskCheck = "no-current-risk-check", "Ingen risikovurdering (Brøset) af borgeren inden for det seneste døgn", "No risk check (Brøset) of the citizen within the last day";
        PlaceOnlyWhenCalled = "place-only-when-called", "Stedet besøges kun, når vi bliver tilkaldt", "The place is visited only when the workers are called";
        PlaceAnnouncedOnly = "place-announced-only", "Stedet må ikke besøges uanmeldt", "The place is not to be visited unannounced";
    }
}

vocabulary! {
    /// What a safety incident was (issue 15; the seeds ask for the workers' safety, 002
    /// L2589–2620, and name no incident categories: the list and the words are the project's,
    /// the third from Brøset's "Angreb på ting eller genstande", 002 L3736–3737).
    IncidentKind, "incident kind" {
        Threat = "threat", "Trusler", "Threats";
        ViolenceAgainstPerson = "violence-against-person", "Vold mod en person", "Violence against a person";
        ViolenceAgainstObjects = "violence-against-objects", "Angreb på ting eller genstande", "Violence against objects";
        Other = "other", "Andet", "Other";
    }
}

vocabulary! {
    /// The services a citizen is bridged to beside drug treatment (002 L2232–2260: the GP,
    /// psychiatry, bostøtte; L416–417: støttekontaktperson and sagsbehandler).
    BridgeService, "bridge service" {
        Gp = "gp", "Egen læge", "GP";
        Psychiatry = "psychiatry", "Behandlingspsykiatrien", "Psychiatry";
        HousingSupport = "housing-support", "Bostøtte", "Housing support";
        SupportContact = "support-contact", "Støttekontaktperson", "Support contact person";
        Caseworker = "caseworker", "Sagsbehandler", "Caseworker";
        Other = "other", "Andet", "Other";
    }
}

vocabulary! {
    /// How far the bridge to a service has come (002 L2252–2256: accompany until a stable
    /// contact) *(the list and its words are the project's own)*.
    BridgeStatus, "bridge status" {
        Contacted = "contacted", "Kontakt etableret", "Contacted";
        StableContact = "stable-contact", "Stabil kontakt", "Stable contact";
        Dropped = "dropped", "Kontakten er faldet væk", "Dropped";
    }
}

vocabulary! {
    /// The role of someone in the citizen's network (002 L416–417: bostøtte, støttekontaktperson,
    /// sagsbehandler; L2251–2254: the GP, psychiatry) *(relative and civil society, and the
    /// Danish words where the seeds name none, are the project's own)*.
    NetworkRole, "network role" {
        HousingSupport = "housing-support", "Bostøtte", "Housing support";
        SupportContact = "support-contact", "Støttekontaktperson", "Support contact person";
        Caseworker = "caseworker", "Sagsbehandler", "Caseworker";
        Gp = "gp", "Egen læge", "GP";
        Psychiatry = "psychiatry", "Behandlingspsykiatrien", "Psychiatry";
        Relative = "relative", "Pårørende", "Relative";
        CivilSociety = "civil-society", "Civilsamfundet", "Civil society";
        Other = "other", "Andet", "Other";
    }
}

vocabulary! {
    /// How a consent was given *(the seeds name consent, 002 L3072, but no form; the words are
    /// the project's own)*.
    ConsentForm, "consent form" {
        Verbal = "verbal", "Mundtligt", "Verbal";
        Written = "written", "Skriftligt", "Written";
    }
}

vocabulary! {
    /// The kind of the citizen's overall goal regarding intake, as the seeds name the goals of
    /// social drug treatment: "stoffrihed, reduktion af stofforbrug eller stabilisering"
    /// (003 L772).
    GoalKind, "goal kind" {
        Abstinence = "abstinence", "Stoffrihed", "Abstinence";
        Reduction = "reduction", "Reduktion af stofforbrug", "Reduction";
        Stabilisation = "stabilisation", "Stabilisering", "Stabilisation";
    }
}

vocabulary! {
    /// "Er målet nået:" in Bilag 1C's evaluation (002 L3902–3905): five ordered answers and one
    /// that is not a score.
    GoalReached, "goal reached" {
        NotAtAll = "not-at-all", "Nej, slet ikke", "No, not at all";
        ToSomeDegree = "to-some-degree", "I nogen grad", "To some degree";
        Yes = "yes", "Ja", "Yes";
        YesMore = "yes-more", "Ja, mere end det", "Yes, more than that";
        YesMuchMore = "yes-much-more", "Ja, meget mere end det", "Yes, much more than that";
        NoLongerRelevant = "no-longer-relevant", "Målet er ikke længere aktuelt", "The goal is no longer relevant";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_unknown_is_typed() {
        for kind in PlaceKind::ALL {
            assert_eq!(PlaceKind::parse(kind.code()).unwrap(), *kind);
        }
        let err = PlaceKind::parse("bench").unwrap_err();
        assert!(err.to_string().contains("warming-room"), "{err}");
        let json = serde_json::to_string(&Outcome::NotApproachedRisk).unwrap();
        assert_eq!(json, "\"not-approached-risk\"");
        assert!(serde_json::from_str::<Outcome>("\"maybe\"").is_err());
    }
}

vocabulary! {
    /// Why a worker starts a check-in (issue 15): before a home visit alone, which the seeds
    /// allow where judged safe and then ask for "en SMS til en kollega, når borgerens hjem
    /// forlades" (002 L2612–2617), or before an approach after a high Brøset score (002
    /// L3683–3685, Bilag 1A). The words are the project's own.
    CheckinReason, "check-in reason" {
        SoloHomeVisit = "solo-home-visit", "Hjemmebesøg alene", "Home visit alone";
        HighRiskApproach = "high-risk-approach", "Kontakt efter høj Brøset-score", "Approach after a high Brøset score";
        Other = "other", "Andet", "Other";
    }
}

vocabulary! {
    /// Whom an overdue check-in has reached (issue 15: the watcher, then the other workers of
    /// the team, then the team leader; the ladder is the lone-worker systems', `anchors.md` §5).
    /// The words are the project's own.
    EscalationLevel, "escalation level" {
        Watcher = "watcher", "Kollegaen der holder øje", "The watcher";
        Team = "team", "Hele teamet", "The whole team";
        Leader = "leader", "Teamlederen", "The team leader";
    }
}

vocabulary! {
    /// What a worker must know now (`gadeplan alerts`; issue 15). The words are the project's
    /// own.
    AlertKind, "alert kind" {
        ColleagueOverdue = "colleague-overdue", "En kollegas tjek-ind er overskredet", "A colleague's check-in is overdue";
        ColleagueDuress = "colleague-duress", "En kollega har slået alarm", "A colleague raised the alarm";
        OwnDueSoon = "own-due-soon", "Dit tjek-ind udløber snart", "Your check-in falls due soon";
        OwnOverdue = "own-overdue", "Dit tjek-ind er overskredet", "Your check-in is overdue";
        OwnNotDelivered = "own-not-delivered", "Dit tjek-ind er ikke nået frem til centret", "Your check-in has not reached the centre";
    }
}

vocabulary! {
    /// A place's visit rule (Bilag 2B: "opholdssteder, der ikke må besøges uanmeldt, men når de
    /// bliver tilkaldt", 002 L4088–4091). The seed's words for the two rules; "Kan besøges
    /// uanmeldt" is the project's.
    VisitRule, "visit rule" {
        Open = "open", "Kan besøges uanmeldt", "May be visited unannounced";
        AnnouncedOnly = "announced-only", "Må ikke besøges uanmeldt", "Not to be visited unannounced";
        OnlyWhenCalled = "only-when-called", "Kun når vi bliver tilkaldt", "Only when the workers are called";
    }
}

vocabulary! {
    /// How much it matters to cover an area (Bilag 2B: "Er der evt. områder, som er mere vigtige
    /// at få afdækket end andre?", 002 L4072–4073; the template prints no scale: the three steps
    /// and their words are the project's).
    AreaPriority, "area priority" {
        High = "high", "Vigtigt at få afdækket", "Important to cover";
        Normal = "normal", "Almindelig", "Normal";
        Low = "low", "Mindre vigtigt", "Less important";
    }
}

vocabulary! {
    /// The day of the week a round is walked (the project's list; the seeds speak of fixed
    /// weekdays, 001 L2119–2121).
    Weekday, "weekday" {
        Monday = "monday", "Mandag", "Monday";
        Tuesday = "tuesday", "Tirsdag", "Tuesday";
        Wednesday = "wednesday", "Onsdag", "Wednesday";
        Thursday = "thursday", "Torsdag", "Thursday";
        Friday = "friday", "Fredag", "Friday";
        Saturday = "saturday", "Lørdag", "Saturday";
        Sunday = "sunday", "Søndag", "Sunday";
    }
}

vocabulary! {
    /// An area's coverage in the last four weeks (Bilag 2B: "at kontrollere, at alle udvalgte
    /// områder afdækkes", 002 L4049; the states and their words are the project's).
    CoverageState, "coverage state" {
        Uncovered = "uncovered", "Ikke afdækket", "Not covered";
        Planned = "planned", "Kun på ruten, ingen kontakter", "On a round, no contacts";
        Covered = "covered", "Afdækket", "Covered";
    }
}

#[cfg(test)]
mod language_tests {
    use super::*;

    #[test]
    fn a_danish_phone_gets_danish_and_one_that_prefers_english_english() {
        let lang = |tags: &[&str]| label_language(tags.iter().map(|t| t.to_string()).collect());
        assert_eq!(lang(&["da-DK"]), Language::Danish);
        assert_eq!(lang(&["da_DK", "en-US"]), Language::Danish);
        assert_eq!(lang(&["en-DK", "da-DK"]), Language::English);
        assert_eq!(lang(&["de-DE", "en-GB"]), Language::English);
        assert_eq!(lang(&["fo-FO"]), Language::Danish);
        assert_eq!(lang(&["de-DE"]), Language::Danish);
        assert_eq!(lang(&[]), Language::Danish);
        let label = Label {
            code: "x".into(),
            da: "Gade".into(),
            en: "Street".into(),
        };
        assert_eq!(label.text(Language::English), "Street");
    }
}
