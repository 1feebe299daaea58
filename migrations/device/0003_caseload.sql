-- The caseload: every entity a consultant carries, one table per protocol
-- entity (the table name is the entity name; `case` must be quoted in SQL).
-- The engine manages id, version (+1 on every change) and updated_at; every
-- other column is written only through the vault's write path, which checks
-- values against the allow-list in crates/vault/src/schema.rs.
--
-- Field names are the sync field names. Where the central server writes the
-- same entity (the melding import: youth, case, melding), the names are the
-- server's, Dutch ones included. Coded values are the domain's `code()`
-- strings. Dates are `YYYY-MM-DD`, local times `YYYY-MM-DDTHH:MM:SS`.
--
-- Links between records (youth_id, case_id, ...) have no SQL foreign keys on
-- purpose: a pull brings records in the server's order of last change, so a
-- task can arrive before the case it belongs to. The write path checks links
-- of local changes instead, and purges follow them (see schema.rs).
-- Never edit this file once applied: add a new migration.

-- Reference data, shared with every user of the bureau.
CREATE TABLE school (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    brin        TEXT,
    school_type TEXT NOT NULL,                   -- SchoolType code: po, sbo, so, vso, vo, mbo
    location    TEXT,
    gemeente    TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);

-- A youth (jongere). voornaam holds all given names (the server's name for it).
CREATE TABLE youth (
    id                     TEXT PRIMARY KEY,
    bsn                    TEXT,                 -- 9 digits, elfproef checked before writing
    onderwijsnummer        TEXT,
    voornaam               TEXT NOT NULL,
    roepnaam               TEXT,
    tussenvoegsel          TEXT,
    achternaam             TEXT NOT NULL,
    geboortedatum          TEXT NOT NULL CHECK (date(geboortedatum) IS geboortedatum),
    straat                 TEXT,
    huisnummer             TEXT,                 -- number and addition as written: 12, 12a, 12-2
    postcode               TEXT,                 -- 1234 AB
    plaats                 TEXT,
    gemeente               TEXT,
    telefoon               TEXT,                 -- international form, +31612345678
    email                  TEXT,
    school_id              TEXT,
    startkwalificatie_datum TEXT CHECK (startkwalificatie_datum IS NULL OR date(startkwalificatie_datum) IS startkwalificatie_datum),
    twaalfde_schooljaar    TEXT,                 -- school year of the 12th full school year, 2025-2026
    version                INTEGER NOT NULL,
    updated_at             TEXT NOT NULL
);
CREATE INDEX youth_bsn ON youth(bsn) WHERE bsn IS NOT NULL;

-- Ouders, verzorgers and other contact persons of a youth.
CREATE TABLE contact_person (
    id               TEXT PRIMARY KEY,
    youth_id         TEXT NOT NULL,
    voornaam         TEXT,
    tussenvoegsel    TEXT,
    achternaam       TEXT NOT NULL,
    relatie          TEXT NOT NULL,              -- Relation code
    verantwoordelijk INTEGER NOT NULL DEFAULT 0 CHECK (verantwoordelijk IN (0, 1)),
    straat           TEXT,
    huisnummer       TEXT,
    postcode         TEXT,
    plaats           TEXT,
    telefoon         TEXT,
    email            TEXT,
    version          INTEGER NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX contact_person_youth ON contact_person(youth_id);

-- A case (werkproces). assigned_user_id and shared_with are the bureau's to
-- change (a device sets them only when it opens a case); shared_with is a
-- JSON array of user ids.
CREATE TABLE "case" (
    id                   TEXT PRIMARY KEY,
    youth_id             TEXT NOT NULL,
    werkproces           TEXT NOT NULL,          -- CaseKind code: verzuim, vrijstelling, vsv, informatie_advies
    soort                TEXT,                   -- VerzuimKind or VsvKind code
    vrijstelling_artikel INTEGER,                -- article number: 5, 15, 3
    vrijstelling_letter  TEXT,                   -- article letter: a, b, c (none for 15)
    vrijstelling_status  TEXT,                   -- VrijstellingStatus code
    status               TEXT NOT NULL,          -- CaseStatus code: open, afgesloten
    assigned_user_id     TEXT,
    shared_with          TEXT CHECK (shared_with IS NULL OR json_valid(shared_with)),
    opened_on            TEXT NOT NULL CHECK (date(opened_on) IS opened_on),
    closed_on            TEXT CHECK (closed_on IS NULL OR date(closed_on) IS closed_on),
    outcome              TEXT,                   -- Outcome code
    gemeente             TEXT,
    school_id            TEXT,
    hours_absent         INTEGER,                -- lesuren absent or late, for the Halt check
    care_concern         INTEGER NOT NULL DEFAULT 0 CHECK (care_concern IN (0, 1)), -- zorg
    version              INTEGER NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX case_youth ON "case"(youth_id);
CREATE INDEX case_closed ON "case"(closed_on) WHERE closed_on IS NOT NULL;

-- Meldingen, each linked to the case it opened or joined. Names as the
-- server's import writes them: datum (received on), bron (source), soort.
CREATE TABLE melding (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL,
    youth_id      TEXT,
    meldingnummer TEXT,
    datum         TEXT NOT NULL CHECK (date(datum) IS datum),
    werkproces    TEXT NOT NULL,
    bron          TEXT NOT NULL,                 -- MeldingSource code
    soort         TEXT,
    school_brin   TEXT,
    school_id     TEXT,
    toelichting   TEXT,
    hours_absent  INTEGER,
    outcome       TEXT,
    version       INTEGER NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX melding_case ON melding(case_id);

-- Contact moments: append-only (a correction is a new one).
CREATE TABLE contact_moment (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL,
    kind            TEXT NOT NULL,               -- ContactKind code
    at              TEXT NOT NULL,               -- local time YYYY-MM-DDTHH:MM:SS
    outcome         TEXT NOT NULL,               -- ContactOutcome code
    user_id         TEXT,
    note            TEXT,
    letter_kind     TEXT,                        -- LetterKind code, for letters and messages
    letter_id       TEXT,                        -- the letter record, when one was printed
    card_token      TEXT,                        -- the visit card left behind (niet thuis)
    card_short_code TEXT,
    version         INTEGER NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX contact_moment_case ON contact_moment(case_id, at);

CREATE TABLE appointment (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL,
    user_id    TEXT,
    kind       TEXT NOT NULL,                    -- AppointmentKind code
    status     TEXT NOT NULL,                    -- AppointmentStatus code
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    location   TEXT,
    school_id  TEXT,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX appointment_case ON appointment(case_id);
CREATE INDEX appointment_starts ON appointment(starts_at);

-- Tasks (0002) get what the domain's Task has besides title and due date.
ALTER TABLE task ADD COLUMN kind TEXT;           -- TaskKind code
ALTER TABLE task ADD COLUMN assigned_user_id TEXT;
ALTER TABLE task ADD COLUMN letter_kind TEXT;
ALTER TABLE task ADD COLUMN done_on TEXT CHECK (done_on IS NULL OR date(done_on) IS done_on);
-- The caseload list counts due tasks per case from this index alone.
CREATE INDEX task_open_due_case ON task(due_date, case_id) WHERE done = 0;

CREATE TABLE consent (
    id                TEXT PRIMARY KEY,
    youth_id          TEXT NOT NULL,
    scope             TEXT NOT NULL,             -- ConsentScope code
    given_on          TEXT NOT NULL CHECK (date(given_on) IS given_on),
    given_by          TEXT NOT NULL,             -- ConsentGiver code
    contact_person_id TEXT,
    withdrawn_on      TEXT CHECK (withdrawn_on IS NULL OR date(withdrawn_on) IS withdrawn_on),
    note              TEXT,
    version           INTEGER NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX consent_youth ON consent(youth_id);

-- Anonymous group sessions (vertrouwelijke preventie): a headcount, never a
-- youth. There is deliberately no column that could hold a person.
CREATE TABLE group_session (
    id         TEXT PRIMARY KEY,
    held_on    TEXT NOT NULL CHECK (date(held_on) IS held_on),
    user_id    TEXT,
    headcount  INTEGER NOT NULL CHECK (headcount >= 1),
    topic      TEXT,
    school_id  TEXT,
    gemeente   TEXT,
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);

-- Letters sent, append-only: the response token behind the QR code, its
-- short code and link, and until when the response form accepts answers.
CREATE TABLE letter (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL,
    template   TEXT NOT NULL,                    -- LetterKind code
    sent_on    TEXT NOT NULL CHECK (date(sent_on) IS sent_on),
    token      TEXT,
    short_code TEXT,
    url        TEXT,
    expires_on TEXT CHECK (expires_on IS NULL OR date(expires_on) IS expires_on),
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX letter_case ON letter(case_id);

-- A second, small search index for people and schools (names, addresses,
-- school names), with a prefix index from the first letter, so typing one
-- letter of a name answers at once. Notes stay in `search` (0001). Which
-- table a record goes to is decided by the vault's allow-list.
CREATE VIRTUAL TABLE search_name USING fts5(
    name, address, school,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3'
);
