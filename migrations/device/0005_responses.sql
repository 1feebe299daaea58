-- Answers through the QR response form, the outreach sequence a reaction
-- ends, and visit cards printed in advance.
-- Never edit this file once applied: add a new migration.

-- A `response` record, made by the server from the form (protocol
-- response_fields) and pulled; append-only. The server also makes the
-- "reactie via QR" contact moment and the task to answer it, each carrying
-- the response's id in response_id.
CREATE TABLE response (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL,
    received_at    TEXT,                         -- RFC 3339, UTC, as the server stamped it
    channel        TEXT,                         -- telefoon, whatsapp, email
    contact_value  TEXT,
    preferred_time TEXT,                         -- ochtend, middag, avond, maakt_niet_uit
    message        TEXT,
    version        INTEGER NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX response_case ON response(case_id);

ALTER TABLE contact_moment ADD COLUMN response_id TEXT;
ALTER TABLE task ADD COLUMN response_id TEXT;

-- The outreach sequence of a case (DOMAIN.md: three weeks of messages,
-- letters and a home visit for a new vsv'er). Device state, not synced:
-- every device that holds the case receives the same response and ends the
-- sequence itself. status: wacht_op_reactie, beeindigd.
CREATE TABLE outreach (
    case_id              TEXT PRIMARY KEY,
    started_on           TEXT NOT NULL CHECK (date(started_on) IS started_on),
    status               TEXT NOT NULL CHECK (status IN ('wacht_op_reactie', 'beeindigd')),
    ended_at             TEXT,                   -- RFC 3339, UTC
    ended_by_response_id TEXT
) WITHOUT ROWID;
-- The sequence leaves with its case (a purge, a retention purge).
CREATE TRIGGER outreach_follows_case AFTER DELETE ON "case"
BEGIN
    DELETE FROM outreach WHERE case_id = old.id;
END;

-- Business cards printed in advance: the token behind each card's QR code,
-- found again by the short code the consultant types when the card is left
-- at a home ("niet thuis, kaartje achtergelaten"). Not synced: the card
-- reaches the server with the contact moment that links it to a case.
CREATE TABLE printed_card (
    short_code TEXT PRIMARY KEY,                 -- without hyphen
    token      TEXT NOT NULL UNIQUE,
    printed_on TEXT NOT NULL CHECK (date(printed_on) IS printed_on)
) WITHOUT ROWID;
