//! The registry of journal entry kinds: the one list of them, one line per kind.
//!
//! Each line gives the kind's variant name, its code on the wire and in the journal, its Danish
//! and English titles (the timeline's), and its module in `kinds/` with the three types that
//! module defines: the payload, the timeline content, and the shell's input; a kind that is
//! amended names a fourth, the typed correction a shell gives to amend one. The list is a macro that hands itself to another
//! macro, so that `journal` can make the `EntryKind` vocabulary from it without depending on the
//! kinds' modules, and `kinds` can make the `Payload` and `EntryContent` enums and every per-kind
//! dispatch from the same lines. This module uses nothing: it is only the list.
//!
//! To add a kind: a new file in `kinds/`, a line here, and a migration (see
//! `docs/adding-a-kind.md`).

/// Calls `$then! { … }` with every kind's line.
macro_rules! with_kinds {
    ($then:ident) => {
        $then! {
            PersonNoted = "person.noted", "Borger noteret", "Person noted"
                => person_noted::{PersonNoted, PersonNotedContent, NewPerson};
            PersonUpdated = "person.updated", "Oplysninger ændret", "Details changed"
                => person_updated::{PersonUpdated, PersonUpdatedContent, PersonUpdate};
            PersonMerged = "person.merged", "Dubletter lagt sammen", "Duplicates merged"
                => person_merged::{PersonMerged, PersonMergedContent, MergeInput};
            RiskChecked = "risk.checked", "Risikovurdering (Brøset)", "Risk check (Brøset)"
                => risk_checked::{RiskChecked, RiskCheckedContent, RiskCheckInput, RiskCheckCorrection};
            ContactLogged = "contact.logged", "Kontakt", "Contact"
                => contact_logged::{ContactLogged, ContactLoggedContent, ContactInput, ContactCorrection};
            ScreeningRecorded = "screening.recorded", "Forscreening", "Pre-screening"
                => screening_recorded::{ScreeningRecorded, ScreeningRecordedContent, ScreeningInput, ScreeningCorrection};
            StageAssessed = "stage.assessed", "Parathed (forandringscirklen)", "Stage of change"
                => stage_assessed::{StageAssessed, StageAssessedContent, StageInput, StageCorrection};
            EntryAmended = "entry.amended", "Rettelse", "Correction"
                => entry_amended::{EntryAmended, EntryAmendedContent, AmendmentInput};
            EntryVoided = "entry.voided", "Annulleret", "Voided"
                => entry_voided::{EntryVoided, EntryVoidedContent, VoidInput};
            // New kinds go last: the fuzz corpus names a kind by its place in this list (an
            // input's first byte), so a kind put before others would shift their seeds.
            CourseOpened = "course.opened", "Forløb startet", "Course opened"
                => course_opened::{CourseOpened, CourseOpenedContent, CourseInput, CourseCorrection};
            CoursePhaseSet = "course.phase-set", "Forløbets fase", "Course phase"
                => course_phase_set::{CoursePhaseSet, CoursePhaseSetContent, CoursePhaseInput};
            CourseClosed = "course.closed", "Forløb afsluttet", "Course closed"
                => course_closed::{CourseClosed, CourseClosedContent, CourseCloseInput};
            TreatmentRequested = "treatment.requested", "Ønske om behandling", "Wish for treatment"
                => treatment_requested::{TreatmentRequested, TreatmentRequestedContent, TreatmentRequestInput};
            TreatmentVisited = "treatment.visited", "Visitation", "Visitation"
                => treatment_visited::{TreatmentVisited, TreatmentVisitedContent, VisitationInput};
            TreatmentStarted = "treatment.started", "Behandling startet", "Treatment started"
                => treatment_started::{TreatmentStarted, TreatmentStartedContent, TreatmentStartInput};
            TreatmentHandedOver = "treatment.handed-over", "Overdraget til misbrugsbehandleren", "Handed over to the counsellor"
                => treatment_handed_over::{TreatmentHandedOver, TreatmentHandedOverContent, HandoverInput};
            ServiceBridged = "service.bridged", "Brobygning til andet tilbud", "Bridge to another service"
                => service_bridged::{ServiceBridged, ServiceBridgedContent, BridgeInput};
            NetworkNoted = "network.noted", "Netværk", "Network"
                => network_noted::{NetworkNoted, NetworkNotedContent, NetworkInput, NetworkCorrection};
            ConsentGiven = "consent.given", "Samtykke givet", "Consent given"
                => consent_given::{ConsentGiven, ConsentGivenContent, ConsentInput};
            ConsentWithdrawn = "consent.withdrawn", "Samtykke trukket tilbage", "Consent withdrawn"
                => consent_withdrawn::{ConsentWithdrawn, ConsentWithdrawnContent, ConsentWithdrawalInput};
            DisclosureMade = "disclosure.made", "Oplysninger videregivet", "Information disclosed"
                => disclosure_made::{DisclosureMade, DisclosureMadeContent, DisclosureInput};
            PlanSet = "plan.set", "Indledende behandlingsplan", "Initial treatment plan"
                => plan_set::{PlanSet, PlanSetContent, PlanInput};
            PlanEvaluated = "plan.evaluated", "Evaluering af delplan", "Evaluation of a specific goal"
                => plan_evaluated::{PlanEvaluated, PlanEvaluatedContent, EvaluationInput};
            CooperationNoted = "cooperation.noted", "Samarbejdet", "The cooperation"
                => cooperation_noted::{CooperationNoted, CooperationNotedContent, CooperationInput};
            QuestionnaireRecorded = "questionnaire.recorded", "Spørgeskema", "Questionnaire"
                => questionnaire_recorded::{QuestionnaireRecorded, QuestionnaireRecordedContent, QuestionnaireInput};
            IncidentRecorded = "incident.recorded", "Sikkerhedshændelse", "Safety incident"
                => incident_recorded::{IncidentRecorded, IncidentRecordedContent, IncidentInput};
            CheckinStarted = "checkin.started", "Tjek-ind startet", "Check-in started"
                => checkin_started::{CheckinStarted, CheckinStartedContent, CheckinInput};
            CheckinExtended = "checkin.extended", "Tjek-ind forlænget", "Check-in extended"
                => checkin_extended::{CheckinExtended, CheckinExtendedContent, CheckinExtensionInput};
            CheckinEnded = "checkin.ended", "Tjek-ind afsluttet", "Check-in ended"
                => checkin_ended::{CheckinEnded, CheckinEndedContent, CheckinEndInput};
            CheckinAcknowledged = "checkin.acknowledged", "Tjek-ind: overtaget", "Check-in: taken charge of"
                => checkin_acknowledged::{CheckinAcknowledged, CheckinAcknowledgedContent, CheckinAcknowledgementInput};
            AreaNoted = "area.noted", "Område", "Area"
                => area_noted::{AreaNoted, AreaNotedContent, AreaInput, AreaCorrection};
            PlaceNoted = "place.noted", "Opholdssted", "Place"
                => place_noted::{PlaceNoted, PlaceNotedContent, PlaceInput, PlaceCorrection};
            RoundPlanned = "round.planned", "Rute", "Round"
                => round_planned::{RoundPlanned, RoundPlannedContent, RoundInput, RoundCorrection};
            EntryErased = "entry.erased", "Slettet", "Erased"
                => entry_erased::{EntryErased, EntryErasedContent, ErasureInput};
        }
    };
}
pub(crate) use with_kinds;
