//! The page's words, in Danish (the default) and English. A text is a field of `Texts`, so a
//! word missing in one language does not compile. The seeds' own labels (phases, reasons,
//! attachment categories) come from the core's vocabularies (`Label`), not from here; these are
//! the page's own words, the project's, not the seeds'.

/// The language a page is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Da,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "da" => Some(Lang::Da),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::Da => &DA,
            Lang::En => &EN,
        }
    }

    /// A vocabulary's label in this language.
    pub fn label(self, label: &gadeplan_core::vocabulary::Label) -> String {
        match self {
            Lang::Da => label.da.clone(),
            Lang::En => label.en.clone(),
        }
    }

    /// The other language, for the switch in the header.
    pub fn other(self) -> Lang {
        match self {
            Lang::Da => Lang::En,
            Lang::En => Lang::Da,
        }
    }
}

macro_rules! texts {
    ($($key:ident: $da:literal, $en:literal;)+) => {
        /// Every word the page shows that is not a vocabulary's label.
        pub struct Texts { $(pub $key: &'static str,)+ }
        pub const DA: Texts = Texts { $($key: $da,)+ };
        pub const EN: Texts = Texts { $($key: $en,)+ };
    };
}

texts! {
    app: "Gadeplan – centret", "Gadeplan – the centre";
    language_name: "English", "Dansk";
    sign_in: "Log ind", "Sign in";
    sign_out: "Log ud", "Sign out";
    name: "Navn", "Name";
    password: "Adgangskode", "Password";
    sign_in_refused: "Navnet eller adgangskoden er forkert, eller kontoen er låst. Efter fem forkerte forsøg er kontoen låst i 15 minutter.", "The name or the password is wrong, or the account is locked. Five wrong tries lock it for 15 minutes.";
    sign_in_rate_limited: "For mange forsøg herfra. Vent et minut, og prøv igen.", "Too many tries from here. Wait a minute and try again.";
    signed_in_as: "Logget ind som", "Signed in as";
    nav_overview: "Teamet", "The team";
    nav_indicators: "Indikatorer", "Indicators";
    nav_devices: "Telefoner", "Phones";
    nav_audit: "Adgangslog", "Audit log";
    skip_to_content: "Gå til indholdet", "Skip to the content";
    overview_title: "Teamet lige nu", "The team now";
    team: "Team", "Team";
    caseload: "Sagsstamme pr. medarbejder", "Caseload per worker";
    caseload_note: "Borgere med et åbent forløb, medarbejderen er ansvarlig for; et forløb med to ansvarlige tæller for begge. Retningslinjen er 15 borgere pr. medarbejder i gennemsnit.", "Citizens with an open course the worker is responsible for; a course with two responsible counts for both. The guideline is 15 citizens per worker on average.";
    worker: "Medarbejder", "Worker";
    open_courses: "Borgere", "Citizens";
    average: "Gennemsnit", "Average";
    guideline: "Retningslinje", "Guideline";
    over_guideline: "over retningslinjen", "over the guideline";
    trend: "Gennemsnittet de seneste måneder", "The average over the last months";
    trend_caption: "Søjlerne er gennemsnittet ved hver måneds udgang (denne måned: nu); den stiplede linje er retningslinjen på 15.", "The bars are the average at each month's end (this month: now); the dashed line is the guideline of 15.";
    waiting: "Venter på behandling (14-dages-garantien)", "Waiting for treatment (the 14-day guarantee)";
    citizen: "Borger", "Citizen";
    wished_on: "Ønsket", "Wished";
    last_day: "Sidste dag", "Last day";
    days_left: "Dage tilbage", "Days left";
    breached: "overskredet", "breached";
    none: "Ingen.", "None.";
    quiet: "Under én samtale på 14 dage", "Less than one conversation in 14 days";
    last_conversation: "Seneste samtale", "Last conversation";
    last_seen: "Sidst set", "Last seen";
    never: "aldrig", "never";
    questionnaires_due: "Spørgeskemaer, der skal udfyldes", "Questionnaires due";
    questionnaire: "Spørgeskema", "Questionnaire";
    since: "Siden", "Since";
    conflicts: "Uafklarede modstridende oplysninger", "Conflicting details to settle";
    duplicates: "Mulige dubletter", "Probable duplicates";
    checkins: "Tjek-ind lige nu", "Check-ins now";
    checkins_note: "Opdateres af sig selv hvert 15. sekund.", "Refreshes by itself every 15 seconds.";
    place: "Sted", "Place";
    watcher: "Makker", "Watcher";
    due: "Forventet ude", "Due out";
    state: "Status", "State";
    acknowledge: "Jeg tager den", "I take charge";
    acknowledged_by: "Taget af", "Taken by";
    state_open: "i gang", "open";
    state_overdue: "OVERSKREDET", "OVERDUE";
    state_acknowledged: "taget", "taken charge of";
    state_duress: "ALARM (tvang)", "ALARM (duress)";
    state_ended: "afsluttet", "ended";
    indicators_title: "Indikatorer for en periode", "Indicators for a period";
    first_day: "Første dag", "First day";
    last_day_of_period: "Sidste dag", "Last day";
    show: "Vis", "Show";
    this_quarter: "Dette kvartal", "This quarter";
    last_quarter: "Sidste kvartal", "Last quarter";
    this_year: "I år", "This year";
    download_csv: "Hent som CSV", "Download as CSV";
    print: "Udskriv", "Print";
    citizens_found: "Borgere fundet", "Citizens found";
    received_effort: "Modtaget indsatsen (forløb åbnet)", "Received the effort (course opened)";
    outside_target_group: "Vejledt uden for målgruppen", "Guided outside the target group";
    bridged: "Brobygget til behandling", "Bridged into treatment";
    attachment_treatment: "Tilknytning til stofmisbrugsbehandling før indsatsen", "Attachment to drug treatment before the effort";
    attachment_substitution: "Tilknytning til substitutionsbehandling før indsatsen", "Attachment to substitution treatment before the effort";
    attachment_services: "Tilknytning til øvrige tilbud før indsatsen", "Attachment to other services before the effort";
    recruitment: "Rekrutteringsveje", "Recruitment channels";
    closed_by_reason: "Afsluttede forløb efter årsag", "Closed courses by reason";
    status_at_closing: "Status ved afslutning", "Status at closing";
    status_three_months: "Status tre måneder efter behandlingsstart", "Status three months after treatment start";
    guarantee: "14-dages-garantien", "The 14-day guarantee";
    met: "overholdt", "met";
    waiting_state: "venter", "waiting";
    median_days: "Median, dage fra ønske til start", "Median days from wish to start";
    contacts: "Kontakter", "Contacts";
    solo_contacts: "Kontakter uden kollega", "Contacts without a colleague";
    home_visits: "Hjemmebesøg", "Home visits";
    announced: "anmeldt", "announced";
    unannounced: "uanmeldt", "unannounced";
    with_colleague: "med kollega", "with a colleague";
    alone: "alene", "alone";
    risk_checks: "Risikovurderinger (Brøset)", "Risk checks (Brøset)";
    incidents: "Hændelser", "Incidents";
    police_called: "Politi tilkaldt", "Police called";
    coverage: "Dækning af områderne: kontakter / runder, de fire uger op til periodens slutning", "Coverage of the areas: contacts / rounds, the four weeks up to the period's end";
    area: "Område", "Area";
    count: "Antal", "Count";
    citizen_title: "Borgerens forløb", "The citizen's course";
    opened: "Åbnet", "Opened";
    phase: "Fase", "Phase";
    stage: "Forandringsstadie", "Stage of change";
    description: "Beskrivelse", "Description";
    responsible: "Ansvarlige", "Responsible";
    closed: "Afsluttet", "Closed";
    timeline: "Tidslinje", "Timeline";
    recorded_by: "Registreret af", "Recorded by";
    plan: "Indledende behandlingsplan", "Initial treatment plan";
    free_text_hidden: "Noter og planens tekst vises først, når du har angivet hvorfor. Adgangen logges og udløber efter 30 minutter.", "Notes and the plan's text are shown only once you say why. The access is logged and lapses after 30 minutes.";
    reason: "Årsag", "Reason";
    open_free_text: "Vis noter og plan", "Show notes and plan";
    free_text_until: "Noter og plan vises, logget, indtil", "Notes and plan are shown, logged, until";
    reason_course_follow_up: "Opfølgning på forløbet", "Follow-up on the course";
    reason_safety_incident: "Sikkerhedshændelse", "Safety incident";
    reason_complaint_or_inquiry: "Klage eller henvendelse", "Complaint or inquiry";
    reason_handover: "Overdragelse", "Handover";
    reason_supervision: "Faglig sparring/supervision", "Supervision";
    devices_title: "Telefoner og tilmelding", "Phones and enrolment";
    device: "Telefon", "Phone";
    enrolled: "Tilmeldt", "Enrolled";
    last_sync: "Seneste synk", "Last sync";
    held: "Venter hos centret", "Held at the centre";
    revoked: "Tilbagekaldt", "Revoked";
    revoke: "Tilbagekald…", "Revoke…";
    revoke_lost: "Mistet eller stjålet: afvis straks og slet alt på telefonen", "Lost or stolen: refuse at once and erase everything on the phone";
    revoke_retired: "Afleveret: send det sidste, og slet så", "Handed in: send what is left, then erase";
    revoke_confirm: "Ja, tilbagekald telefonen", "Yes, revoke the phone";
    revoke_question: "Tilbagekald telefonen?", "Revoke the phone?";
    cancel: "Fortryd", "Cancel";
    new_enrolment: "Ny tilmeldingskode", "New enrolment code";
    valid_hours: "Gyldig i timer", "Valid for hours";
    make_code: "Lav kode", "Make the code";
    enrol_scan: "Scan koden med Gadeplan på medarbejderens telefon, eller tast koden.", "Scan the code with Gadeplan on the worker's phone, or type the code.";
    code: "Kode", "Code";
    expires: "Udløber", "Expires";
    audit_title: "Adgangslog", "Audit log";
    audit_note: "Hver læsning af borgerdata, hver eksport, hver handling og hvert login. Hver post bærer et fingeraftryk af den forrige.", "Every read of citizen data, every export, every action and every sign-in. Each record carries a fingerprint of the one before.";
    chain_intact: "Kæden er hel", "The chain is intact";
    chain_broken: "Kæden er brudt ved post", "The chain breaks at record";
    at: "Tidspunkt", "At";
    actor: "Hvem", "Who";
    action: "Handling", "Action";
    subject: "Hvad/hvem", "Concerning";
    detail: "Detalje", "Detail";
    source: "Fra", "From";
    older: "Ældre", "Older";
    newer: "Nyere", "Newer";
    not_allowed: "Din rolle giver ikke adgang til denne side.", "Your role gives no access to this page.";
    form_refused: "Formularen hører ikke til denne session. Hent siden igen, og prøv igen.", "The form is not from this session. Reload the page and try again.";
    not_found: "Findes ikke i dit team.", "Not found in your team.";
    error: "Noget gik galt", "Something went wrong";
    internal_error: "Centret kunne ikke svare. Fejlen er skrevet i centrets log; prøv igen om lidt.", "The centre could not answer. The failure is in the centre's log; try again shortly.";
    back: "Tilbage", "Back";
}
