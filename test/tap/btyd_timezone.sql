-- btyd(..., unit, tz): the same result under any session time zone, and
-- the session answer when tz is the session's zone.
BEGIN;
SELECT plan(9);

CREATE TEMP TABLE o AS
SELECT c AS id, '2025-01-01 00:00+00'::timestamptz + ((c * 7919 + k * 104729) % (200 * 24 * 60)) * interval '1 minute' AS ts,
       round(((c * 31 + k * 17) % 1000) / 10.0, 2) AS amount
FROM generate_series(1, 300) c, generate_series(1, 1 + c % 9) k;

CREATE TEMP TABLE ref (id int, b btyd, bf btyd, s btyd_state);
SET LOCAL TimeZone = 'UTC';
INSERT INTO ref SELECT id, btyd(ts, amount, '2025-08-01 00:00+00', '1 day', 'Asia/Kolkata'),
                       btyd(ts, amount::float8, '2025-08-01 00:00+00', '7 days', 'America/Sao_Paulo'),
                       btyd_partial(ts, amount, '2025-08-01 00:00+00', '1 day', 'Asia/Kolkata')
FROM o GROUP BY id;

SET LOCAL TimeZone = 'Pacific/Kiritimati';
SELECT is((SELECT count(*)::int FROM ref JOIN (SELECT id, btyd(ts, amount, '2025-08-01 00:00+00', '1 day', 'Asia/Kolkata') AS b FROM o GROUP BY id) x USING (id)
           WHERE ref.b IS DISTINCT FROM x.b), 0, 'numeric: same under UTC and Pacific/Kiritimati');
SELECT is((SELECT count(*)::int FROM ref JOIN (SELECT id, btyd(ts, amount::float8, '2025-08-01 00:00+00', '7 days', 'America/Sao_Paulo') AS b FROM o GROUP BY id) x USING (id)
           WHERE ref.bf IS DISTINCT FROM x.b), 0, 'float8, weeks: same under UTC and Pacific/Kiritimati');
SELECT is((SELECT count(*)::int FROM ref JOIN (SELECT id, btyd_partial(ts, amount, '2025-08-01 00:00+00', '1 day', 'Asia/Kolkata') AS s FROM o GROUP BY id) x USING (id)
           WHERE ref.s::text IS DISTINCT FROM x.s::text), 0, 'states: same under two session zones');
-- without tz the session zone decides (so this data does differ)
SELECT ok((SELECT count(*) FROM ref JOIN (SELECT id, btyd(ts, amount, '2025-08-01 00:00+00') AS b FROM o GROUP BY id) x USING (id)
           WHERE ref.b IS DISTINCT FROM x.b) > 0, 'the session-zone form differs on this data');

-- oracle: x and t_x from the distinct local days by AT TIME ZONE
SELECT is((SELECT count(*)::int FROM ref JOIN (
             SELECT id, count(DISTINCT (ts AT TIME ZONE 'Asia/Kolkata')::date) - 1 AS x,
                    max((ts AT TIME ZONE 'Asia/Kolkata')::date) - min((ts AT TIME ZONE 'Asia/Kolkata')::date) AS t_x,
                    '2025-08-01'::date - min((ts AT TIME ZONE 'Asia/Kolkata')::date) AS t
             FROM o GROUP BY id) q USING (id)
           WHERE (ref.b).x <> q.x OR (ref.b).t_x <> q.t_x OR (ref.b).t <> q.t), 0, 'x, t_x, t equal the AT TIME ZONE oracle');

-- tz equal to the session zone = the session form; NULL = the session's
SET LOCAL TimeZone = 'Asia/Kolkata';
SELECT is((SELECT count(*)::int FROM ref JOIN (SELECT id, btyd(ts, amount, '2025-08-01 00:00+00') AS b FROM o GROUP BY id) x USING (id)
           WHERE ref.b IS DISTINCT FROM x.b), 0, 'tz = session zone gives the session answer');
SELECT is((SELECT count(*)::int FROM ref JOIN (SELECT id, btyd(ts, amount, '2025-08-01 00:00+00', '1 day', NULL) AS b FROM o GROUP BY id) x USING (id)
           WHERE ref.b IS DISTINCT FROM x.b), 0, 'NULL tz is the session zone');

SELECT throws_ok($$SELECT btyd(now(), 1.0, now(), '1 day', 'No/Where')$$, '22023', NULL, 'unknown zone');
SELECT throws_ok($$SELECT btyd_state_advance(btyd_partial(now() - interval '1 day', 1.0, now()), now(), 'No/Where')$$, '22023', NULL, 'unknown zone in btyd_state_advance');

SELECT * FROM finish();
ROLLBACK;
