-- The citizen's course (issue 13): its opening, its phases and its closing, each a record kind
-- with a row per entry (`core/src/kinds/course_*.rs`); the course's state is read from the rows
-- (`kinds/courses.rs`). A rebuild fills them from the journal.
CREATE TABLE courses (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    -- The responsible workers, a JSON array of one or two names.
    responsible TEXT NOT NULL,
    found_via TEXT NOT NULL,
    attachment_treatment TEXT,
    attachment_substitution TEXT,
    attachment_services TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX courses_by_entry ON courses(entry_id);

CREATE TABLE course_phases (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    course TEXT NOT NULL,
    phase TEXT NOT NULL,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX course_phases_by_course ON course_phases(course, occurred_at, entry_id);

CREATE TABLE course_closings (
    owner TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    voided INTEGER NOT NULL,
    author_worker TEXT NOT NULL,
    course TEXT NOT NULL,
    reason TEXT NOT NULL,
    treatment_status TEXT,
    PRIMARY KEY (owner, occurred_at, entry_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX course_closings_by_course ON course_closings(course, occurred_at, entry_id);
