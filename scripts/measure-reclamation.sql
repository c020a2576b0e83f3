-- Measures the reclamation sweep (docs/PERFORMANCE.md, "Reclamation by acknowledgement"):
-- on a fresh replica (nodectl init), sqlite3 replica.sqlite < scripts/measure-reclamation.sql
.timer off
PRAGMA foreign_keys = OFF;
WITH RECURSIVE o(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM o WHERE i < 10)
INSERT INTO origins (id, node_id, max_seq) SELECT i + 100, 'ORIGIN-' || i, 10000 FROM o;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i+1 FROM n WHERE i < 99999)
INSERT INTO changes (local_order, origin, seq, hlc, entity, entity_id, field, op, value, predecessors)
SELECT i+1, (i % 10) + 101, i / 10 + 1, i, 'customer', 'E' || i, 'categories', 'remove', 'x', '' FROM n;
INSERT INTO set_elements (entity_id, field, element, change, removed_by)
SELECT entity_id, field, value, local_order, local_order FROM changes;
-- every member has acknowledged everything but member 10, which lags by half
WITH RECURSIVE o(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM o WHERE i < 10)
INSERT INTO acknowledgements (origin, node_id, holds_origin, holds_seq, heard_at)
SELECT 'ORIGIN-' || a.i, 'ORIGIN-' || a.i, 'ORIGIN-' || h.i, CASE WHEN a.i = 10 THEN 5000 ELSE 10000 END, 0 FROM o a, o h;
.timer on
SELECT 'members', count(*) FROM fleet_members;
SELECT 'waits', count(*) FROM reclamation_waits;
SELECT 'ahead', count(*) FROM acknowledgements_ahead;
DELETE FROM set_elements WHERE removed_by IS NOT NULL AND NOT EXISTS (SELECT 1 FROM acknowledgements_ahead) AND removed_by NOT IN (SELECT change FROM reclamation_waits);
SELECT 'kept', count(*) FROM set_elements;
