-- The leader's figures for a period (issue 16, `centre/src/indicators.rs`): the core's
-- projection tables by the time a record happened, so a quarter costs what the quarter holds
-- whatever the years before it hold. The many rows a quarter has (contacts, risk checks,
-- screenings, persons) are covered by their index (with the key's columns, which an index of a
-- table WITHOUT ROWID holds anyway): a table ordered by citizen would otherwise be read a page
-- a row, all over five years of pages. The centre's own indexes on the core's tables: phones do
-- not carry them (they never ask by period across persons). The PostgreSQL backend's read
-- model (`replica.rs`) makes the same from this script.
CREATE INDEX IF NOT EXISTS centre_persons_by_time ON persons(noted_at, merged_into, voided);
CREATE INDEX IF NOT EXISTS centre_contacts_by_time
    ON contacts(occurred_at, voided, author_worker, with_colleague, place_kind, met);
CREATE INDEX IF NOT EXISTS centre_risk_checks_by_time ON risk_checks(occurred_at, voided, band);
CREATE INDEX IF NOT EXISTS centre_screenings_by_time ON screenings(occurred_at, voided, decision);
CREATE INDEX IF NOT EXISTS centre_courses_by_time ON courses(occurred_at);
CREATE INDEX IF NOT EXISTS centre_course_closings_by_time ON course_closings(occurred_at);
CREATE INDEX IF NOT EXISTS centre_treatment_requests_by_time ON treatment_requests(occurred_at);
CREATE INDEX IF NOT EXISTS centre_treatment_starts_by_time ON treatment_starts(occurred_at);
CREATE INDEX IF NOT EXISTS centre_incidents_by_time ON incidents(occurred_at);
-- The citizens with conflicting details to settle, for the leader's overview: few, whatever the
-- years hold.
CREATE INDEX IF NOT EXISTS centre_persons_in_conflict ON persons(attribute_conflicts)
    WHERE attribute_conflicts > 0;
