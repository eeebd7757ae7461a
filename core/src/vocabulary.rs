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
    }
}

vocabulary! {
    /// What kind of contact it was.
    ContactKind, "contact kind" {
        Observation = "observation", "Observation", "Observation";
        BriefContact = "brief-contact", "Kort kontakt", "Brief contact";
        Conversation = "conversation", "Samtale", "Conversation";
        PracticalHelp = "practical-help", "Praktisk hjælp", "Practical help";
        Accompaniment = "accompaniment", "Ledsagelse", "Accompaniment";
        Referral = "referral", "Henvisning", "Referral";
    }
}

vocabulary! {
    /// How the contact attempt ended.
    Outcome, "outcome" {
        ContactMade = "contact-made", "Kontakt opnået", "Contact made";
        Declined = "declined", "Afvist af borgeren", "Declined by the citizen";
        NotApproachedRisk = "not-approached-risk", "Ikke kontaktet pga. risiko", "Not approached: risk";
        NotFound = "not-found", "Ikke truffet", "Not found";
    }
}

impl Outcome {
    /// Whether the worker actually met the citizen; only such contacts count as the person's
    /// "last contact" (a search that found nobody is not contact with the citizen).
    pub fn met_citizen(self) -> bool {
        matches!(self, Outcome::ContactMade | Outcome::Declined)
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
        BurdenedSituation = "burdened-situation", "Besværet af sin situation; opholder sig på forsorgshjem, væresteder eller gaden", "Burdened by the situation; stays at shelters, drop-in centres or on the street";
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
    /// Stages of change in the model's short form (Bilag 1B).
    Stage, "stage" {
        Precontemplation = "precontemplation", "Førovervejelse (lav parathed)", "Pre-contemplation (low readiness)";
        Contemplation = "contemplation", "Overvejelse (middelhøj parathed)", "Contemplation (medium readiness)";
        Action = "action", "Forberedelse, påbegyndelse og vedligeholdelse (høj parathed)", "Preparation, action and maintenance (high readiness)";
        Relapse = "relapse", "Tilbagefald", "Relapse";
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
