-- The team roster (issue 15): the workers of each team, since when, and when retired. Every
-- worker with a device enrolled and not revoked is on it from their first enrolment.
CREATE TABLE centre_roster (
    team text COLLATE "C" NOT NULL REFERENCES centre_teams(name),
    worker text COLLATE "C" NOT NULL,
    added_at text COLLATE "C" NOT NULL,
    retired_at text COLLATE "C",
    PRIMARY KEY (team, worker)
);
INSERT INTO centre_roster (team, worker, added_at, retired_at)
    SELECT team, worker, min(enrolled_at), NULL FROM centre_devices WHERE revoked_at IS NULL GROUP BY team, worker;
