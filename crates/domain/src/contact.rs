//! Contact with youth and families: contact moments (home visits, calls,
//! letters, QR responses), appointments, consents, and anonymous group
//! sessions.
//!
//! Contact moments are append-only in sync (they never conflict): a
//! correction is a new contact moment, not an edit.

use std::num::NonZeroU32;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use crate::code::code_enum;
use crate::ids::{
    AppointmentId, CaseId, ConsentId, ContactMomentId, ContactPersonId, GroupSessionId, SchoolId,
    UserId, YouthId,
};
use crate::validate::redacted_debug;

/// Free text a consultant writes (a note, a melding's toelichting). Personal
/// by nature, so its `Debug` is redacted and logs never carry it.
#[derive(Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Note(String);

impl Note {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl From<String> for Note {
    fn from(text: String) -> Self {
        Self(text)
    }
}

redacted_debug!(Note);

code_enum! {
    /// How contact was made.
    pub enum ContactKind: "soort contact" {
        /// A visit at the youth's home.
        HomeVisit => "huisbezoek", "Huisbezoek";
        /// A conversation at a school's or mbo location's spreekuur.
        OfficeHours => "spreekuurgesprek", "Spreekuurgesprek";
        Phone => "telefoon", "Telefoon";
        WhatsApp => "whatsapp", "WhatsApp";
        Email => "email", "E-mail";
        Letter => "brief", "Brief";
        /// The family answered through the QR code on a letter or card.
        QrResponse => "reactie_via_qr", "Reactie via QR-code";
    }
}

impl ContactKind {
    /// The outcomes that fit this kind of contact, for the form.
    pub const fn outcomes(self) -> &'static [ContactOutcome] {
        use ContactOutcome as O;
        match self {
            Self::HomeVisit => &[
                O::SpokeWithYouth,
                O::SpokeWithParent,
                O::NotHome,
                O::Refused,
                O::MovedOrUnknownAddress,
            ],
            Self::OfficeHours => &[O::SpokeWithYouth, O::SpokeWithParent, O::NoShow],
            Self::Phone => &[O::SpokeWithYouth, O::SpokeWithParent, O::NotReached],
            Self::WhatsApp | Self::Email => &[O::Sent, O::ReactionReceived],
            Self::Letter => &[O::Sent, O::MovedOrUnknownAddress],
            Self::QrResponse => &[O::ReactionReceived],
        }
    }
}

code_enum! {
    /// What came of a contact moment.
    pub enum ContactOutcome: "resultaat van een contact" {
        SpokeWithYouth => "gesproken_jongere", "Gesproken met de jongere";
        SpokeWithParent => "gesproken_ouder", "Gesproken met ouder of verzorger";
        /// Nobody home: a card went in the letterbox (DOMAIN.md).
        NotHome => "niet_thuis", "Niet thuis, kaartje in de bus";
        Refused => "geweigerd", "Geweigerd";
        MovedOrUnknownAddress => "verhuisd_onbekend_adres", "Verhuisd of onbekend adres";
        /// Called, nobody answered.
        NotReached => "niet_bereikt", "Niet bereikt";
        /// Did not come to the appointment.
        NoShow => "niet_verschenen", "Niet verschenen";
        /// A message or letter went out; no answer yet.
        Sent => "verstuurd", "Verstuurd";
        /// The youth or family answered (message, e-mail, QR form).
        ReactionReceived => "reactie_ontvangen", "Reactie ontvangen";
    }
}

impl ContactOutcome {
    /// The youth or family reacted. Any reaction ends the outreach sequence
    /// and resets the count of unanswered invitations; refusing at the door
    /// is a reaction too (a clear one).
    pub const fn is_reaction(self) -> bool {
        matches!(
            self,
            Self::SpokeWithYouth | Self::SpokeWithParent | Self::Refused | Self::ReactionReceived
        )
    }
}

code_enum! {
    /// Which letter or message template was sent.
    pub enum LetterKind: "soort brief" {
        /// Invitation for a conversation.
        InvitationToTalk => "uitnodiging_gesprek", "Uitnodiging voor een gesprek";
        /// Announcement of a home visit (at the top of the letter: measured to
        /// work better).
        HomeVisitAnnouncement => "aankondiging_huisbezoek", "Aankondiging huisbezoek";
        /// First letter of the Doorstroompunt to a new vsv'er.
        DoorstroompuntIntroduction => "kennismaking_doorstroompunt", "Kennismaking Doorstroompunt";
        /// To the parents: at which school is your child enrolled?
        AbsoluutVerzuimToParents => "absoluut_verzuim_ouders", "Brief absoluut verzuim aan ouders";
        /// Appointment confirmation on paper (helps youth with autism).
        AppointmentConfirmation => "afspraakbevestiging", "Afspraakbevestiging";
        OfficialWarning => "officiele_waarschuwing", "Officiële waarschuwing";
    }
}

impl LetterKind {
    /// Letters that ask the youth or family to respond: the ones counted for
    /// "three invitations without reaction".
    pub const fn asks_for_reaction(self) -> bool {
        matches!(
            self,
            Self::InvitationToTalk
                | Self::DoorstroompuntIntroduction
                | Self::AbsoluutVerzuimToParents
        )
    }
}

/// One contact with a youth or family, or one attempt at it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactMoment {
    pub id: ContactMomentId,
    pub case_id: CaseId,
    pub kind: ContactKind,
    /// Local (Dutch) time of the contact.
    pub occurred_at: NaiveDateTime,
    pub outcome: ContactOutcome,
    /// The template sent, for letters and messages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letter: Option<LetterKind>,
    pub user_id: UserId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

impl ContactMoment {
    /// An invitation: a letter or message that asks for a reaction.
    pub fn is_invitation(&self) -> bool {
        self.letter.is_some_and(LetterKind::asks_for_reaction)
    }

    /// The youth or family reacted; a QR response always is one.
    pub fn is_reaction(&self) -> bool {
        self.kind == ContactKind::QrResponse || self.outcome.is_reaction()
    }

    pub fn date(&self) -> NaiveDate {
        self.occurred_at.date()
    }
}

code_enum! {
    /// Where an appointment takes place.
    pub enum AppointmentKind: "soort afspraak" {
        Office => "kantoor", "Gesprek op kantoor";
        OfficeHours => "spreekuur", "Spreekuur op school";
        HomeVisit => "huisbezoek", "Huisbezoek";
        Phone => "telefonisch", "Telefonisch gesprek";
    }
}

code_enum! {
    /// Where an appointment stands.
    pub enum AppointmentStatus: "status van een afspraak" {
        Planned => "gepland", "Gepland";
        Held => "gehouden", "Gehouden";
        NoShow => "niet_verschenen", "Niet verschenen";
        /// Cancelled; the administration may delete it.
        Cancelled => "afgezegd", "Afgezegd";
    }
}

/// An appointment with a youth or family.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub id: AppointmentId,
    pub case_id: CaseId,
    pub user_id: UserId,
    pub kind: AppointmentKind,
    pub status: AppointmentStatus,
    /// Local (Dutch) time.
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// Where, in words ("Spreekuur ROC, lokaal 1.12").
    #[serde(default)]
    pub location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_id: Option<SchoolId>,
}

impl Appointment {
    /// Whether the appointment is on the agenda of `day`.
    pub fn is_on(&self, day: NaiveDate) -> bool {
        self.starts_at.date() <= day && day <= self.ends_at.date()
    }
}

code_enum! {
    /// What a consent covers.
    pub enum ConsentScope: "soort toestemming" {
        /// Permission to contact the youth again later (e.g. after a tussenjaar).
        Recontact => "hercontact", "Later opnieuw contact opnemen";
        /// Permission to share the plan with the school.
        ShareWithSchool => "delen_met_school", "Plan delen met de school";
        /// Anything else, described in the note.
        Other => "overig", "Overig (zie toelichting)";
    }
}

code_enum! {
    /// Who gave a consent.
    pub enum ConsentGiver: "wie toestemming gaf" {
        Youth => "jongere", "De jongere";
        Parent => "ouder_verzorger", "Ouder of verzorger";
    }
}

/// A consent: date, scope and who gave it. Withdrawing keeps the record and
/// sets `withdrawn_on`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub id: ConsentId,
    pub youth_id: YouthId,
    pub scope: ConsentScope,
    pub given_on: NaiveDate,
    pub given_by: ConsentGiver,
    /// The parent who gave it, when `given_by` is a parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_person_id: Option<ContactPersonId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Note>,
}

impl Consent {
    /// Given on or before `on` and not withdrawn by then.
    pub fn is_valid_on(&self, on: NaiveDate) -> bool {
        self.given_on <= on && self.withdrawn_on.is_none_or(|withdrawn| on < withdrawn)
    }
}

/// An anonymous group session (vertrouwelijke preventie): recorded with a
/// headcount only, **never with individuals**. There is deliberately no field
/// that could hold a name or an id of a youth.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupSession {
    pub id: GroupSessionId,
    pub held_on: NaiveDate,
    pub user_id: UserId,
    /// How many took part; at least one.
    pub headcount: NonZeroU32,
    /// The subject, in general terms ("verzuim en gezondheid").
    #[serde(default)]
    pub topic: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub school_id: Option<SchoolId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gemeente: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    #[test]
    fn home_visits_offer_the_five_home_visit_outcomes() {
        let codes: Vec<&str> = ContactKind::HomeVisit
            .outcomes()
            .iter()
            .map(|o| o.code())
            .collect();
        assert_eq!(
            codes,
            [
                "gesproken_jongere",
                "gesproken_ouder",
                "niet_thuis",
                "geweigerd",
                "verhuisd_onbekend_adres"
            ]
        );
    }

    #[test]
    fn every_contact_outcome_fits_some_kind_of_contact() {
        for outcome in ContactOutcome::all() {
            assert!(
                ContactKind::all()
                    .iter()
                    .any(|k| k.outcomes().contains(outcome)),
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn a_consent_counts_from_the_day_given_until_the_day_withdrawn() {
        let consent = Consent {
            id: ConsentId::parse("c1").expect("id"),
            youth_id: YouthId::parse("y1").expect("id"),
            scope: ConsentScope::Recontact,
            given_on: d(2026, 3, 1),
            given_by: ConsentGiver::Youth,
            contact_person_id: None,
            withdrawn_on: Some(d(2026, 9, 1)),
            note: None,
        };
        assert!(!consent.is_valid_on(d(2026, 2, 28)));
        assert!(consent.is_valid_on(d(2026, 3, 1)));
        assert!(consent.is_valid_on(d(2026, 8, 31)));
        assert!(!consent.is_valid_on(d(2026, 9, 1)));
    }

    #[test]
    fn notes_never_show_in_debug_output() {
        assert_eq!(
            format!("{:?}", Note::new("Eva was ziek")),
            "Note(<redacted>)"
        );
    }
}
