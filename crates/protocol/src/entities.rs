//! The entity table: the one place where app and server agree on which kinds
//! of record sync, which are append-only, which may be deleted, and how each
//! one links to a case for scope.
//!
//! Sync itself is generic: an [`Operation`](crate::Operation) names an entity
//! and an id and carries field values as JSON. The server needs to know only
//! what is in [`EntitySpec`]; field contents are the domain's business.
//!
//! Scope, decided by the server (ARCHITECTURE invariant 4): a user sees a
//! case when its `assigned_user_id` is the user or its `shared_with` array
//! contains the user, until `closed_on` plus the bureau's retention period has
//! passed. Everything else follows from the cases a user sees, see [`Scope`].
//!
//! Changing a row here changes the protocol: keep it in step with
//! [`PROTOCOL_VERSION`](crate::PROTOCOL_VERSION).

/// How a record of an entity links to a case, which decides who sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The record is a case: visible to its assigned user and the users in
    /// `shared_with`.
    Case,
    /// Linked to a case by the named field (holding the case id).
    ViaCase(&'static str),
    /// The record is a youth: visible when a visible case has `youth_id` = it.
    Youth,
    /// Linked to a youth by the named field (holding the youth id); visible
    /// when that youth is.
    ViaYouth(&'static str),
    /// Reference data, visible to every user of the bureau.
    Shared,
    /// Sent to the server for its archive, never pulled by any device.
    Archive,
}

/// What the sync protocol knows about one entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntitySpec {
    /// The wire name, as in [`Operation::entity`](crate::Operation::entity).
    pub name: &'static str,
    /// Append-only records are written once (`insert` or `append`) and never
    /// changed, so they never conflict.
    pub append_only: bool,
    /// Whether a device may delete a record (`delete` leaves a tombstone; the
    /// server keeps the data in its archive).
    pub deletable: bool,
    pub scope: Scope,
}

pub const CASE: &str = "case";
pub const YOUTH: &str = "youth";
pub const CONTACT_PERSON: &str = "contact_person";
pub const CONSENT: &str = "consent";
pub const MELDING: &str = "melding";
pub const CONTACT_MOMENT: &str = "contact_moment";
pub const TASK: &str = "task";
pub const APPOINTMENT: &str = "appointment";
pub const LETTER: &str = "letter";
pub const RESPONSE: &str = "response";
pub const SCHOOL: &str = "school";
pub const AUDIT: &str = "audit";

/// The pseudo-entity of a resolve-conflict operation; its records are the
/// server's [`Conflict`](crate::Conflict)s, not synced as records.
pub const CONFLICT: &str = "conflict";

/// Fields of a case that decide its scope. Devices cannot change
/// `assigned_user_id` or `shared_with` (the admin assigns and shares); a
/// device that inserts a case owns it.
pub mod case_fields {
    pub const ASSIGNED_USER_ID: &str = "assigned_user_id";
    pub const SHARED_WITH: &str = "shared_with";
    pub const STATUS: &str = "status";
    /// A date `YYYY-MM-DD`; the case leaves every device when the bureau's
    /// retention period after it has passed.
    pub const CLOSED_ON: &str = "closed_on";
    pub const YOUTH_ID: &str = "youth_id";
}

/// The link fields named in [`Scope::ViaCase`] and [`Scope::ViaYouth`].
pub const CASE_ID: &str = "case_id";
pub const YOUTH_ID: &str = "youth_id";

/// Every synced entity. One row each; look up with [`spec`].
pub const ENTITIES: &[EntitySpec] = &[
    EntitySpec {
        name: CASE,
        append_only: false,
        deletable: false,
        scope: Scope::Case,
    },
    EntitySpec {
        name: YOUTH,
        append_only: false,
        deletable: false,
        scope: Scope::Youth,
    },
    EntitySpec {
        name: CONTACT_PERSON,
        append_only: false,
        deletable: true,
        scope: Scope::ViaYouth(YOUTH_ID),
    },
    EntitySpec {
        name: CONSENT,
        append_only: false,
        deletable: true,
        scope: Scope::ViaYouth(YOUTH_ID),
    },
    EntitySpec {
        name: MELDING,
        append_only: false,
        deletable: false,
        scope: Scope::ViaCase(CASE_ID),
    },
    EntitySpec {
        name: CONTACT_MOMENT,
        append_only: true,
        deletable: false,
        scope: Scope::ViaCase(CASE_ID),
    },
    EntitySpec {
        name: TASK,
        append_only: false,
        deletable: true,
        scope: Scope::ViaCase(CASE_ID),
    },
    EntitySpec {
        name: APPOINTMENT,
        append_only: false,
        deletable: true,
        scope: Scope::ViaCase(CASE_ID),
    },
    EntitySpec {
        name: LETTER,
        append_only: true,
        deletable: false,
        scope: Scope::ViaCase(CASE_ID),
    },
    EntitySpec {
        name: RESPONSE,
        append_only: true,
        deletable: false,
        scope: Scope::ViaCase(CASE_ID),
    },
    EntitySpec {
        name: SCHOOL,
        append_only: false,
        deletable: false,
        scope: Scope::Shared,
    },
    EntitySpec {
        name: AUDIT,
        append_only: true,
        deletable: false,
        scope: Scope::Archive,
    },
];

/// The spec of a synced entity, or `None` for a name the protocol does not know.
pub fn spec(name: &str) -> Option<&'static EntitySpec> {
    ENTITIES.iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_names_are_unique_and_known() {
        for e in ENTITIES {
            assert_eq!(
                ENTITIES.iter().filter(|o| o.name == e.name).count(),
                1,
                "{}",
                e.name
            );
            assert_eq!(spec(e.name), Some(e));
        }
        assert_eq!(spec("nonsense"), None);
        assert_eq!(
            spec(CONFLICT),
            None,
            "conflict is a pseudo-entity, not a record"
        );
    }

    #[test]
    fn append_only_entities_are_contact_moments_letters_responses_and_audit() {
        let append: Vec<_> = ENTITIES
            .iter()
            .filter(|e| e.append_only)
            .map(|e| e.name)
            .collect();
        assert_eq!(append, [CONTACT_MOMENT, LETTER, RESPONSE, AUDIT]);
        assert!(ENTITIES.iter().all(|e| !(e.append_only && e.deletable)));
    }
}
