-- btyd(..., unit, tz): purchase days in an explicit time zone, so the
-- result does not depend on the session TimeZone (Citus does not pass it
-- to the workers).
CREATE TABLE tzo (id int, ts timestamptz, amount numeric);
-- orders near midnight: whether two of them fall on one day depends on the zone
INSERT INTO tzo VALUES
    (1, '2025-01-01 14:30+00', 10), (1, '2025-01-01 15:30+00', 20), (1, '2025-01-03 23:00+00', 5),
    (2, '2025-01-10 08:00+00', 7), (2, '2025-01-10 16:00+00', 8), (2, '2025-01-11 01:00+00', 9),
    (3, '2025-03-29 23:30+00', 1), (3, '2025-03-30 00:30+00', 2), (3, '2025-03-30 22:30+00', 3);

-- without tz the answer follows the session
SET TimeZone = 'UTC';
SELECT id, (btyd(ts, amount, '2025-04-01 00:00+00')).* FROM tzo GROUP BY id ORDER BY id;
SET TimeZone = 'Asia/Tokyo';
SELECT id, (btyd(ts, amount, '2025-04-01 00:00+00')).* FROM tzo GROUP BY id ORDER BY id;

-- with tz it does not: the same under two session zones
CREATE TEMP TABLE under_utc AS SELECT 'x'::text AS k, 1 AS id, NULL::btyd AS b WHERE false;
SET TimeZone = 'UTC';
INSERT INTO under_utc SELECT 'tokyo', id, btyd(ts, amount, '2025-04-01 00:00+00', '1 day', 'Asia/Tokyo') FROM tzo GROUP BY id;
INSERT INTO under_utc SELECT 'paris', id, btyd(ts, amount::float8, '2025-04-01 00:00+00', '1 day', 'Europe/Paris') FROM tzo GROUP BY id;
SET TimeZone = 'America/Los_Angeles';
SELECT k, id, (b).*,
       b = CASE k WHEN 'tokyo' THEN btyd(ts, amount, '2025-04-01 00:00+00', '1 day', 'Asia/Tokyo')
                  ELSE btyd(ts, amount::float8, '2025-04-01 00:00+00', '1 day', 'Europe/Paris') END AS same
FROM under_utc JOIN tzo USING (id) GROUP BY k, id, b ORDER BY k, id;
-- tz = the session's zone gives the session answer; NULL is the session's
SET TimeZone = 'Asia/Tokyo';
SELECT id, btyd(ts, amount, '2025-04-01 00:00+00', '1 day', 'Asia/Tokyo') = btyd(ts, amount, '2025-04-01 00:00+00') AS named,
       btyd(ts, amount, '2025-04-01 00:00+00', '1 day', NULL) = btyd(ts, amount, '2025-04-01 00:00+00') AS null_tz
FROM tzo GROUP BY id ORDER BY id;
-- an oracle in plain SQL: distinct local days by AT TIME ZONE
SELECT id, count(DISTINCT (ts AT TIME ZONE 'Europe/Paris')::date) - 1 AS x_oracle,
       (btyd(ts, amount, '2025-04-01 00:00+00', '1 day', 'Europe/Paris')).x
FROM tzo GROUP BY id ORDER BY id;

-- stored states: partial, advance and merge in the named zone
SET TimeZone = 'UTC';
CREATE TEMP TABLE st AS SELECT id, btyd_partial(ts, amount, '2025-03-01 00:00+00', '1 day', 'Asia/Tokyo') AS s FROM tzo GROUP BY id;
SET TimeZone = 'America/New_York';
SELECT id, btyd_final(btyd_combine(btyd_state_advance(s, '2025-04-01 00:00+00', 'Asia/Tokyo'), n))
       = (SELECT btyd(ts, amount, '2025-04-01 00:00+00', '1 day', 'Asia/Tokyo') FROM tzo o WHERE o.id = st.id) AS merged_equals_full
FROM st JOIN LATERAL (SELECT btyd_partial(ts, amount, '2025-04-01 00:00+00', '1 day', 'Asia/Tokyo') AS n
                      FROM tzo o WHERE o.id = st.id AND ts > '2025-03-01 00:00+00') new ON true
ORDER BY id;
SELECT btyd_state_advance(NULL, '2025-04-01', 'UTC') IS NULL AS null_state,
       btyd_state_advance(s, NULL, 'UTC') IS NULL AS null_as_of
FROM st WHERE id = 1;

-- errors
SELECT btyd(ts, amount, '2025-04-01 00:00+00', '1 day', 'Mars/Olympus') FROM tzo;
SELECT btyd(ts, amount, '2025-04-01 00:00+00', '1 day', '') FROM tzo;
SELECT btyd_state_advance(s, '2025-04-01', 'Nowhere') FROM st WHERE id = 1;
RESET TimeZone;
DROP TABLE tzo;
