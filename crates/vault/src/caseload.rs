//! The typed API of the caseload: adding youth, schools and cases, recording
//! field work (contact moments, home visits, letters), tasks, appointments,
//! consents and group sessions.
//!
//! Every method here builds [`Mutation`]s and hands them to the one write
//! path ([`Vault::apply`] or, for several records that belong together,
//! [`Vault::apply_batch`]): each record written gets its outbox operation
//! and audit entry, and a method that writes several records writes them in
//! one transaction or not at all. Writes act as the enrolled user
//! ([`Vault::user_id`]).
//!
//! Coded values are stored as the domain's `code()` strings; the domain's
//! rules decide what follows from them (melding linking, follow-up tasks,
//! who may close a case with which outcome).

use chrono::NaiveDate;
use serde_json::Value;
use uuid::Uuid;
use veldwerk_domain::rules::{MeldingLink, followup_after_home_visit, link_melding};
use veldwerk_domain::{
    Address, AppointmentStatus, CaseKind, CaseStatus, ContactKind, ContactOutcome, Outcome,
    PersonName, ProposedTask, User, YouthId,
};
use veldwerk_protocol::entities;

use crate::model::{
    CaseRecord, CaseSubKind, ConsentRecord, ContactPersonRecord, HomeVisit, HomeVisitRecorded,
    MeldingAdded, NewAppointment, NewCase, NewConsent, NewContactMoment, NewContactPerson,
    NewGroupSession, NewLetter, NewMelding, NewSchool, NewTask, NewYouth, SchoolRecord,
    YouthRecord,
};
use crate::query::{self, hm, ymd};
use crate::schema::GROUP_SESSION_ENTITY;
use crate::{Mutation, Vault, VaultError};

impl Mutation {
    /// Set `field` when `value` is `Some`; leave it out otherwise.
    pub fn set_opt<T: Into<Value>>(self, field: impl Into<String>, value: Option<T>) -> Mutation {
        match value {
            Some(v) => self.set(field, v),
            None => self,
        }
    }
}

fn id_text(id: Option<Uuid>) -> Option<String> {
    id.map(|i| i.hyphenated().to_string())
}

fn name_fields(m: Mutation, name: &PersonName, with_call_name: bool) -> Mutation {
    let given = (!name.given_names.is_empty()).then(|| name.given_names.clone());
    let m = m
        .set_opt("voornaam", given)
        .set_opt("tussenvoegsel", name.prefix.clone())
        .set("achternaam", name.family_name.clone());
    if with_call_name {
        m.set_opt("roepnaam", name.call_name.clone())
    } else {
        m
    }
}

fn address_fields(m: Mutation, address: Option<&Address>) -> Mutation {
    match address {
        Some(a) => m
            .set("straat", a.street.clone())
            .set("huisnummer", a.house_number.to_string())
            .set("postcode", a.postcode.to_string())
            .set("plaats", a.town.clone()),
        None => m,
    }
}

/// The soort or article fields of a case or melding of `kind`.
fn sub_kind_fields(
    m: Mutation,
    kind: CaseKind,
    sub: Option<CaseSubKind>,
) -> Result<Mutation, VaultError> {
    let entity = m.entity;
    Ok(match (kind, sub) {
        (_, None) => m,
        (CaseKind::Verzuim, Some(CaseSubKind::Verzuim(v))) => m.set("soort", v.code()),
        (CaseKind::Vsv, Some(CaseSubKind::Vsv(v))) => m.set("soort", v.code()),
        (CaseKind::Vrijstelling, Some(CaseSubKind::Vrijstelling(article, status)))
            if entity == entities::CASE =>
        {
            m.set("vrijstelling_artikel", i64::from(article.number()))
                .set_opt("vrijstelling_letter", article.letter().map(String::from))
                .set("vrijstelling_status", status.code())
        }
        (CaseKind::Vrijstelling, Some(CaseSubKind::Vrijstelling(article, _))) => {
            m.set("soort", article.code())
        }
        _ => {
            return Err(VaultError::InvalidMutation {
                entity: entity.to_owned(),
                reason: "the soort does not fit the werkproces",
            });
        }
    })
}

// ---- mutation builders (also used by the demo generator) -----------------------

pub(crate) fn school_mutation(id: Uuid, s: &NewSchool) -> Mutation {
    Mutation::insert(entities::SCHOOL, id)
        .set("name", s.name.clone())
        .set_opt("brin", s.brin.as_ref().map(|b| b.to_string()))
        .set("school_type", s.school_type.code())
        .set_opt("location", s.location.clone())
        .set("gemeente", s.gemeente.clone())
}

pub(crate) fn youth_mutation(id: Uuid, y: &NewYouth) -> Mutation {
    let m = Mutation::insert(entities::YOUTH, id);
    let m = name_fields(m, &y.name, true);
    let m = address_fields(m, y.address.as_ref());
    let gemeente = y
        .address
        .as_ref()
        .and_then(|a| a.gemeente.clone())
        .or_else(|| y.gemeente.clone());
    m.set("geboortedatum", ymd(y.birth_date))
        .set_opt("bsn", y.bsn.as_ref().map(|b| b.as_str().to_owned()))
        .set_opt(
            "onderwijsnummer",
            y.onderwijsnummer.as_ref().map(|o| o.as_str().to_owned()),
        )
        .set_opt("gemeente", gemeente)
        .set_opt("telefoon", y.phone.as_ref().map(|p| p.as_str().to_owned()))
        .set_opt("email", y.email.as_ref().map(|e| e.as_str().to_owned()))
        .set_opt("school_id", id_text(y.school_id))
        .set_opt("startkwalificatie_datum", y.startkwalificatie_on.map(ymd))
        .set_opt(
            "twaalfde_schooljaar",
            y.twelfth_full_school_year.map(|s| s.to_string()),
        )
}

pub(crate) fn contact_person_mutation(id: Uuid, p: &NewContactPerson) -> Mutation {
    let m = Mutation::insert(entities::CONTACT_PERSON, id)
        .set("youth_id", p.youth_id.to_string())
        .set("relatie", p.relation.code())
        .set("verantwoordelijk", p.responsible);
    let m = name_fields(m, &p.name, false);
    address_fields(m, p.address.as_ref())
        .set_opt("telefoon", p.phone.as_ref().map(|x| x.as_str().to_owned()))
        .set_opt("email", p.email.as_ref().map(|x| x.as_str().to_owned()))
}

pub(crate) fn case_mutation(id: Uuid, c: &NewCase, user: Uuid) -> Result<Mutation, VaultError> {
    let m = Mutation::insert(entities::CASE, id)
        .set("youth_id", c.youth_id.to_string())
        .set("werkproces", c.kind.code())
        .set("status", CaseStatus::Open.code())
        .set("opened_on", ymd(c.opened_on))
        .set("shared_with", Value::Array(Vec::new()))
        .set_opt(
            entities::case_fields::ASSIGNED_USER_ID,
            (!user.is_nil()).then(|| user.to_string()),
        )
        .set_opt("gemeente", c.gemeente.clone())
        .set_opt("school_id", id_text(c.school_id))
        .set_opt("hours_absent", c.hours_absent.map(i64::from))
        .set("care_concern", c.care_concern);
    sub_kind_fields(m, c.kind, c.sub_kind)
}

pub(crate) fn melding_mutation(
    id: Uuid,
    case_id: Uuid,
    n: &NewMelding,
) -> Result<Mutation, VaultError> {
    let m = Mutation::insert(entities::MELDING, id)
        .set("case_id", case_id.to_string())
        .set("youth_id", n.youth_id.to_string())
        .set("datum", ymd(n.received_on))
        .set("werkproces", n.kind.code())
        .set("bron", n.source.code())
        .set_opt("meldingnummer", n.number.clone())
        .set_opt("school_id", id_text(n.school_id))
        .set_opt("hours_absent", n.hours_absent.map(i64::from))
        .set_opt("toelichting", n.note.clone());
    sub_kind_fields(m, n.kind, n.sub_kind)
}

pub(crate) fn contact_moment_mutation(
    id: Uuid,
    case_id: Uuid,
    user: Uuid,
    c: &NewContactMoment,
) -> Mutation {
    Mutation::append(entities::CONTACT_MOMENT, id)
        .set("case_id", case_id.to_string())
        .set("kind", c.kind.code())
        .set("at", hm(c.at))
        .set("outcome", c.outcome.code())
        .set_opt("user_id", (!user.is_nil()).then(|| user.to_string()))
        .set_opt("note", c.note.clone())
        .set_opt("letter_kind", c.letter_kind.map(|l| l.code()))
        .set_opt("letter_id", id_text(c.letter_id))
        .set_opt("card_token", c.card.as_ref().map(|c| c.token.clone()))
        .set_opt(
            "card_short_code",
            c.card.as_ref().map(|c| c.short_code.clone()),
        )
}

pub(crate) fn task_mutation(id: Uuid, case_id: Uuid, t: &NewTask) -> Mutation {
    Mutation::insert(entities::TASK, id)
        .set("case_id", case_id.to_string())
        .set("kind", t.kind.code())
        .set("title", t.title.clone())
        .set_opt("due_date", t.due_on.map(ymd))
        .set("done", false)
        .set_opt("letter_kind", t.letter_kind.map(|l| l.code()))
}

pub(crate) fn appointment_mutation(id: Uuid, user: Uuid, a: &NewAppointment) -> Mutation {
    Mutation::insert(entities::APPOINTMENT, id)
        .set("case_id", a.case_id.to_string())
        .set_opt("user_id", (!user.is_nil()).then(|| user.to_string()))
        .set("kind", a.kind.code())
        .set("status", AppointmentStatus::Planned.code())
        .set("starts_at", hm(a.starts_at))
        .set("ends_at", hm(a.ends_at))
        .set_opt("location", a.location.clone())
        .set_opt("school_id", id_text(a.school_id))
}

pub(crate) fn consent_mutation(id: Uuid, c: &NewConsent) -> Mutation {
    Mutation::insert(entities::CONSENT, id)
        .set("youth_id", c.youth_id.to_string())
        .set("scope", c.scope.code())
        .set("given_on", ymd(c.given_on))
        .set("given_by", c.given_by.code())
        .set_opt("contact_person_id", id_text(c.contact_person_id))
        .set_opt("note", c.note.clone())
}

pub(crate) fn letter_mutation(id: Uuid, l: &NewLetter) -> Mutation {
    Mutation::append(entities::LETTER, id)
        .set("case_id", l.case_id.to_string())
        .set("template", l.template.code())
        .set("sent_on", ymd(l.sent_on))
        .set_opt("token", l.token.clone())
        .set_opt("short_code", l.short_code.clone())
        .set_opt("url", l.url.clone())
        .set_opt("expires_on", l.expires_on.map(ymd))
}

pub(crate) fn group_session_mutation(id: Uuid, user: Uuid, g: &NewGroupSession) -> Mutation {
    Mutation::append(GROUP_SESSION_ENTITY, id)
        .set("held_on", ymd(g.held_on))
        .set("headcount", i64::from(g.headcount.get()))
        .set_opt("user_id", (!user.is_nil()).then(|| user.to_string()))
        .set_opt("topic", g.topic.clone())
        .set_opt("school_id", id_text(g.school_id))
        .set_opt("gemeente", g.gemeente.clone())
}

fn not_found(entity: &str) -> VaultError {
    VaultError::RecordNotFound {
        entity: entity.to_owned(),
    }
}

// ---- handles --------------------------------------------------------------------

/// Schools (reference data). From [`Vault::schools`].
pub struct Schools<'v>(&'v mut Vault);

/// Youth, their contact persons and consents. From [`Vault::youth`].
pub struct Youths<'v>(&'v mut Vault);

/// Cases and their meldingen. From [`Vault::cases`].
pub struct Cases<'v>(&'v mut Vault);

impl Vault {
    pub fn schools(&mut self) -> Schools<'_> {
        Schools(self)
    }

    pub fn youth(&mut self) -> Youths<'_> {
        Youths(self)
    }

    pub fn cases(&mut self) -> Cases<'_> {
        Cases(self)
    }
}

impl Schools<'_> {
    /// Add a school; returns its id.
    pub fn add(&mut self, school: &NewSchool) -> Result<Uuid, VaultError> {
        let id = Uuid::now_v7();
        let user = self.0.user_id();
        self.0.apply(user, school_mutation(id, school))?;
        Ok(id)
    }

    pub fn get(&self, id: Uuid) -> Result<Option<SchoolRecord>, VaultError> {
        query::school(&self.0.conn, id)
    }

    /// Every school on the device, by name.
    pub fn list(&self) -> Result<Vec<SchoolRecord>, VaultError> {
        query::schools(&self.0.conn)
    }
}

impl Youths<'_> {
    /// Add a youth; returns the new id. Names and address are indexed for search.
    pub fn add(&mut self, youth: &NewYouth) -> Result<Uuid, VaultError> {
        let id = Uuid::now_v7();
        let user = self.0.user_id();
        self.0.apply(user, youth_mutation(id, youth))?;
        Ok(id)
    }

    pub fn get(&self, id: Uuid) -> Result<Option<YouthRecord>, VaultError> {
        query::youth(&self.0.conn, id)
    }

    /// Add an ouder, verzorger or other contact person of a youth on the device.
    pub fn add_contact_person(&mut self, person: &NewContactPerson) -> Result<Uuid, VaultError> {
        let id = Uuid::now_v7();
        let user = self.0.user_id();
        self.0.apply(user, contact_person_mutation(id, person))?;
        Ok(id)
    }

    /// The contact persons of a youth, responsible ones first.
    pub fn contact_persons(&self, youth_id: Uuid) -> Result<Vec<ContactPersonRecord>, VaultError> {
        query::contact_persons(&self.0.conn, youth_id)
    }

    /// Record a consent of (or for) a youth on the device.
    pub fn add_consent(&mut self, consent: &NewConsent) -> Result<Uuid, VaultError> {
        let id = Uuid::now_v7();
        let user = self.0.user_id();
        self.0.apply(user, consent_mutation(id, consent))?;
        Ok(id)
    }

    /// Withdraw a consent from `on`: the record stays, with `withdrawn_on`.
    pub fn withdraw_consent(&mut self, consent_id: Uuid, on: NaiveDate) -> Result<(), VaultError> {
        let user = self.0.user_id();
        self.0.apply(
            user,
            Mutation::update(entities::CONSENT, consent_id).set("withdrawn_on", ymd(on)),
        )?;
        Ok(())
    }

    /// The consents of a youth, oldest first.
    pub fn consents(&self, youth_id: Uuid) -> Result<Vec<ConsentRecord>, VaultError> {
        query::consents(&self.0.conn, youth_id)
    }
}

impl Cases<'_> {
    /// Open a case for a youth on the device, assigned to the enrolled user
    /// (left to the server before enrollment); returns its id.
    pub fn open(&mut self, case: &NewCase) -> Result<Uuid, VaultError> {
        let id = Uuid::now_v7();
        let user = self.0.user_id();
        self.0.apply(user, case_mutation(id, case, user)?)?;
        Ok(id)
    }

    pub fn get(&self, id: Uuid) -> Result<Option<CaseRecord>, VaultError> {
        query::case(&self.0.conn, id)
    }

    /// The cases of a youth, oldest first.
    pub fn of_youth(&self, youth_id: Uuid) -> Result<Vec<CaseRecord>, VaultError> {
        query::cases_of_youth(&self.0.conn, youth_id)
    }

    /// Close a case on `on` with `outcome`, as `by` (the domain checks the
    /// outcome fits the case and that `by` may record it: Halt and PV need a
    /// BOA). Nothing is written when it refuses.
    pub fn close(
        &mut self,
        case_id: Uuid,
        on: NaiveDate,
        outcome: Outcome,
        by: &User,
    ) -> Result<(), VaultError> {
        let record = self
            .get(case_id)?
            .ok_or_else(|| not_found(entities::CASE))?;
        let mut case = query::domain_case(&record)?;
        case.close(on, outcome, by)
            .map_err(VaultError::CannotClose)?;
        let user = self.0.user_id();
        self.0.apply(
            user,
            Mutation::update(entities::CASE, case_id)
                .set("status", CaseStatus::Closed.code())
                .set(entities::case_fields::CLOSED_ON, ymd(on))
                .set("outcome", outcome.code())
                .based_on(record.version),
        )?;
        Ok(())
    }

    /// Add a melding: it joins the youth's open case of the same werkproces
    /// (the domain's linking rule) or opens a new case, in one transaction.
    pub fn add_melding(&mut self, melding: &NewMelding) -> Result<MeldingAdded, VaultError> {
        let user = self.0.user_id();
        let records = self.of_youth(melding.youth_id)?;
        let cases = records
            .iter()
            .map(query::domain_case)
            .collect::<Result<Vec<_>, _>>()?;
        let youth_id =
            YouthId::parse(&melding.youth_id.to_string()).map_err(|_| VaultError::Corrupt)?;
        let melding_id = Uuid::now_v7();
        match link_melding(&youth_id, &cases, melding.kind) {
            MeldingLink::Link(case_id) => {
                let case_id = query::id(case_id.as_str())?;
                self.0
                    .apply(user, melding_mutation(melding_id, case_id, melding)?)?;
                Ok(MeldingAdded {
                    melding_id,
                    case_id,
                    new_case: false,
                })
            }
            MeldingLink::NewCase => {
                let case_id = Uuid::now_v7();
                let new_case = NewCase {
                    youth_id: melding.youth_id,
                    kind: melding.kind,
                    sub_kind: melding.sub_kind,
                    opened_on: melding.received_on,
                    gemeente: melding.gemeente.clone(),
                    school_id: melding.school_id,
                    hours_absent: melding.hours_absent,
                    care_concern: false,
                };
                self.0.apply_batch(
                    user,
                    vec![
                        case_mutation(case_id, &new_case, user)?,
                        melding_mutation(melding_id, case_id, melding)?,
                    ],
                )?;
                Ok(MeldingAdded {
                    melding_id,
                    case_id,
                    new_case: true,
                })
            }
        }
    }
}

// ---- field work -------------------------------------------------------------------

impl Vault {
    /// Record a contact moment of a case (append-only); returns its id.
    pub fn record_contact(
        &mut self,
        case_id: Uuid,
        contact: &NewContactMoment,
    ) -> Result<Uuid, VaultError> {
        let id = Uuid::now_v7();
        let user = self.user_id();
        self.apply(user, contact_moment_mutation(id, case_id, user, contact))?;
        Ok(id)
    }

    /// The follow-up tasks the domain's rules propose after a home visit on
    /// `visited_on` with `outcome`, for the screen to show before saving.
    pub fn home_visit_followup(
        &self,
        case_id: Uuid,
        visited_on: NaiveDate,
        outcome: ContactOutcome,
    ) -> Result<Vec<ProposedTask>, VaultError> {
        let record = query::case(&self.conn, case_id)?.ok_or_else(|| not_found(entities::CASE))?;
        let case = query::domain_case(&record)?;
        Ok(followup_after_home_visit(
            &case,
            visited_on,
            outcome,
            record.care_concern,
        ))
    }

    /// Record a home visit: the contact moment and its follow-up tasks
    /// (those the rules propose, or the ones in `visit.followup`) in one
    /// transaction, each with its outbox operation and audit entry.
    pub fn record_home_visit(
        &mut self,
        case_id: Uuid,
        visit: HomeVisit,
    ) -> Result<HomeVisitRecorded, VaultError> {
        if !ContactKind::HomeVisit.outcomes().contains(&visit.outcome) {
            return Err(VaultError::InvalidMutation {
                entity: entities::CONTACT_MOMENT.to_owned(),
                reason: "not an outcome of a home visit",
            });
        }
        let followup = match visit.followup {
            Some(tasks) => tasks,
            None => self.home_visit_followup(case_id, visit.at.date(), visit.outcome)?,
        };
        let user = self.user_id();
        let contact_moment_id = Uuid::now_v7();
        let contact = NewContactMoment {
            kind: ContactKind::HomeVisit,
            at: visit.at,
            outcome: visit.outcome,
            note: visit.note,
            letter_kind: None,
            letter_id: None,
            card: visit.card,
        };
        let mut batch = vec![contact_moment_mutation(
            contact_moment_id,
            case_id,
            user,
            &contact,
        )];
        let mut task_ids = Vec::with_capacity(followup.len());
        for proposal in followup {
            let id = Uuid::now_v7();
            batch.push(task_mutation(id, case_id, &NewTask::from(proposal)));
            task_ids.push(id);
        }
        self.apply_batch(user, batch)?;
        Ok(HomeVisitRecorded {
            contact_moment_id,
            task_ids,
        })
    }

    /// Add a task to a case; returns its id.
    pub fn add_task(&mut self, case_id: Uuid, task: &NewTask) -> Result<Uuid, VaultError> {
        let id = Uuid::now_v7();
        let user = self.user_id();
        self.apply(user, task_mutation(id, case_id, task))?;
        Ok(id)
    }

    /// Mark a task done on `on`.
    pub fn complete_task(&mut self, task_id: Uuid, on: NaiveDate) -> Result<(), VaultError> {
        let user = self.user_id();
        self.apply(
            user,
            Mutation::update(entities::TASK, task_id)
                .set("done", true)
                .set("done_on", ymd(on)),
        )?;
        Ok(())
    }

    /// Plan an appointment (status gepland); returns its id.
    pub fn plan_appointment(&mut self, appointment: &NewAppointment) -> Result<Uuid, VaultError> {
        let id = Uuid::now_v7();
        let user = self.user_id();
        self.apply(user, appointment_mutation(id, user, appointment))?;
        Ok(id)
    }

    /// Set where an appointment stands (held, no-show, cancelled).
    pub fn set_appointment_status(
        &mut self,
        appointment_id: Uuid,
        status: AppointmentStatus,
    ) -> Result<(), VaultError> {
        let user = self.user_id();
        self.apply(
            user,
            Mutation::update(entities::APPOINTMENT, appointment_id).set("status", status.code()),
        )?;
        Ok(())
    }

    /// Record a printed letter and its response link (append-only).
    pub fn record_letter(&mut self, letter: &NewLetter) -> Result<Uuid, VaultError> {
        let id = Uuid::now_v7();
        let user = self.user_id();
        self.apply(user, letter_mutation(id, letter))?;
        Ok(id)
    }

    /// Record an anonymous group session: a headcount, never a person.
    ///
    /// Sync protocol version 1 has no entity for group sessions: the
    /// operation waits in the outbox, not pushed, until it has (see
    /// [`Vault::outbox`]).
    pub fn record_group_session(&mut self, session: &NewGroupSession) -> Result<Uuid, VaultError> {
        let id = Uuid::now_v7();
        let user = self.user_id();
        self.apply(user, group_session_mutation(id, user, session))?;
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use veldwerk_domain::{VerzuimKind, VrijstellingArticle, VrijstellingStatus, VsvKind};

    #[test]
    fn a_soort_must_fit_the_werkproces() {
        let m = || Mutation::insert(entities::CASE, Uuid::nil());
        assert!(
            sub_kind_fields(
                m(),
                CaseKind::Verzuim,
                Some(CaseSubKind::Vsv(VsvKind::OudVsver))
            )
            .is_err()
        );
        let ok = sub_kind_fields(
            m(),
            CaseKind::Verzuim,
            Some(CaseSubKind::Verzuim(VerzuimKind::Luxe)),
        );
        assert!(ok.is_ok_and(|m| m.fields["soort"] == "luxe"));
    }

    #[test]
    fn a_vrijstelling_stores_article_number_and_letter_apart() {
        let m = sub_kind_fields(
            Mutation::insert(entities::CASE, Uuid::nil()),
            CaseKind::Vrijstelling,
            Some(CaseSubKind::Vrijstelling(
                VrijstellingArticle::Art5c,
                VrijstellingStatus::Granted,
            )),
        );
        let m = m.ok().map(|m| m.fields).unwrap_or_default();
        assert_eq!(m["vrijstelling_artikel"], 5);
        assert_eq!(m["vrijstelling_letter"], "c");
        assert_eq!(m["vrijstelling_status"], "verleend");
    }
}
