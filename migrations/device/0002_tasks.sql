-- Tasks of a case (entity `task`): follow-ups with a due date. The engine
-- manages id, version (+1 on every change) and updated_at; the other columns
-- are written only through the vault's write path. case_id gets its foreign
-- key when the case table exists (a later migration rebuilds this table).
-- Never edit this file once applied: add a new migration.
CREATE TABLE task (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL,
    title      TEXT NOT NULL,
    due_date   TEXT CHECK (due_date IS NULL OR date(due_date) IS due_date),
    done       INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    version    INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX task_case ON task(case_id);
CREATE INDEX task_open_due ON task(due_date) WHERE done = 0;
