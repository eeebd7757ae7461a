-- Erasure (issue 17): an erased entry keeps its row (its place in the team's sequence, its id,
-- kind, subject and times: the digest counts it, phones skip it) with its payload emptied.
ALTER TABLE centre_entries ADD COLUMN erased boolean NOT NULL DEFAULT false;
-- No statistics on recorded text: ANALYZE would otherwise keep sample values of the payloads
-- in pg_statistic, where an erasure cannot reach them. Nothing is ever looked up by them.
ALTER TABLE centre_entries ALTER COLUMN payload SET STATISTICS 0;
ALTER TABLE centre_held ALTER COLUMN entry SET STATISTICS 0;
