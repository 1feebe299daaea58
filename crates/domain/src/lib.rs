//! Veldwerk's domain: the people, cases and field routines of leerplicht and
//! Doorstroompunt work, and the rules of Dutch law that govern them.
//!
//! Everything here is pure: no IO, no async, no clock. Rules take the date they
//! are evaluated on as a parameter, and are effective-dated where the law
//! changed (the Doorstroompunt age limit went from 23 to 27 on 2026-01-01).
//!
//! # Map
//! - [`ids`]: string-backed ids ([`YouthId`], [`CaseId`], ...) that hold the
//!   vault's UUIDv7 text without this crate knowing about UUIDs.
//! - [`validate`]: validated values with `parse` constructors ([`Bsn`],
//!   [`Onderwijsnummer`], [`Postcode`], [`Brin`], [`PhoneNumber`],
//!   [`EmailAddress`], [`HouseNumber`]); every failure is an [`InvalidValue`]
//!   that names the field in Dutch.
//! - [`youth`], [`school`], [`user`], [`case`], [`vrijstelling`], [`contact`],
//!   [`task`]: the records a consultant carries.
//! - [`outcome`]: the outcome code lists, which list a case uses and who may
//!   record what (Halt and every proces-verbaal need a BOA).
//! - [`rules`]: the law as pure functions: school years, leerplicht,
//!   kwalificatieplicht, the Doorstroompunt target group ([`LegalStatus`]),
//!   Halt, Dutch working days, follow-up proposals and melding linking.
//! - [`time`]: Dutch local time (CET/CEST) from a UTC instant, without a
//!   time zone database.
//!
//! Every list from DOMAIN.md is an enum with a stable snake_case `code()` (what
//! storage, sync and the CLI use; also its serde form), a plain Dutch
//! `label()` (what people see) and `all()` (what a form offers).
//!
//! Personal data (names, BSNs, addresses, phone numbers, e-mail addresses,
//! note text) has a redacting `Debug`, so a stray `{:?}` in a log line leaks
//! nothing (ARCHITECTURE invariant 1).

pub mod case;
pub mod code;
pub mod contact;
pub mod error;
pub mod ids;
pub mod outcome;
pub mod rules;
pub mod school;
pub mod task;
pub mod time;
pub mod user;
pub mod validate;
pub mod vrijstelling;
pub mod youth;

pub use case::{
    Case, CaseKind, CaseStatus, CloseError, Melding, MeldingSource, VerzuimKind, VsvKind,
};
pub use code::UnknownCode;
pub use contact::{
    Appointment, AppointmentKind, AppointmentStatus, Consent, ConsentGiver, ConsentScope,
    ContactKind, ContactMoment, ContactOutcome, GroupSession, LetterKind, Note,
};
pub use error::{Field, InvalidValue, Problem};
pub use ids::{
    AppointmentId, CaseId, ConsentId, ContactMomentId, ContactPersonId, GroupSessionId, MeldingId,
    SchoolId, TaskId, UserId, VrijstellingId, YouthId,
};
pub use outcome::{Outcome, OutcomeList, OutcomeRejected, allowed_outcomes, check_outcome};
pub use rules::{LegalPhase, LegalStatus, SchoolHistory, SchoolYear};
pub use school::{School, SchoolType};
pub use task::{ProposedTask, Task, TaskKind};
pub use user::{Role, User};
pub use validate::{Brin, Bsn, EmailAddress, HouseNumber, Onderwijsnummer, PhoneNumber, Postcode};
pub use vrijstelling::{ArticleRef, Vrijstelling, VrijstellingArticle, VrijstellingStatus};
pub use youth::{Address, ContactPerson, PersonName, Relation, Youth, split_tussenvoegsel};
