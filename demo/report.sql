-- The demo's HTML report: one self-contained page of inline SVG, written
-- by SQL from the demo's tables (customer_segment, customer_value,
-- validation, ...).  psql -At -f demo/report.sql > memval-report.html
-- Every number drawn is also in a data-value attribute, so a test can
-- compare it with the SQL result.  Panels whose tables are missing are
-- left out with a note.
SET client_min_messages = warning;
CREATE OR REPLACE FUNCTION pg_temp.h(t text) RETURNS text LANGUAGE sql IMMUTABLE AS
$$ SELECT replace(replace(replace(replace(coalesce(t, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;') $$;

SELECT $html$<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>memval report</title>
<style>
body { font: 14px/1.4 sans-serif; margin: 24px; color: #222; max-width: 960px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 32px; }
svg { display: block; margin: 8px 0; } svg text { font: 12px sans-serif; fill: #222; }
.bar { fill: #4878a8; } .bar2 { fill: #e0904a; } .axis { stroke: #888; }
.note { color: #666; } table { border-collapse: collapse; } td, th { padding: 2px 8px; text-align: right; border-bottom: 1px solid #ddd; }
</style></head><body>
<h1>memval report</h1>$html$;

SELECT format('<p class="note">%s orders of %s customers, from %s to %s.</p>',
              count(*), count(DISTINCT customer_id), min(order_ts)::date, max(order_ts)::date)
FROM orders;

-- 1. customers and revenue per segment
SELECT '<h2>Customers and revenue per segment (rfm10)</h2>' ||
       format('<svg id="segments" class="chart" width="900" height="%s" viewBox="0 0 900 %s">', 30 + 22 * count(*), 30 + 22 * count(*)) ||
       '<text x="170" y="14">customers</text><text x="540" y="14">revenue (net)</text>' ||
       string_agg(format('<text x="0" y="%s">%s</text>'
                         '<rect class="bar" x="170" y="%s" width="%s" height="16" data-segment="%s" data-customers="%s"/>'
                         '<text x="%s" y="%s">%s</text>'
                         '<rect class="bar2" x="540" y="%s" width="%s" height="16" data-segment="%s" data-revenue="%s"/>'
                         '<text x="%s" y="%s">%s</text>',
                         37 + 22 * i, pg_temp.h(segment),
                         24 + 22 * i, greatest(1, round(280.0 * n / mn)), pg_temp.h(segment), n,
                         175 + greatest(1, round(280.0 * n / mn)), 37 + 22 * i, n,
                         24 + 22 * i, greatest(1, round(280.0 * greatest(rev, 0) / mr)), pg_temp.h(segment), rev,
                         545 + greatest(1, round(280.0 * greatest(rev, 0) / mr)), 37 + 22 * i, round(rev)),
                  '' ORDER BY i) || '</svg>'
FROM (SELECT segment, n, rev, row_number() OVER (ORDER BY rev DESC, segment) - 1 AS i,
             max(n) OVER () AS mn, greatest(max(rev) OVER (), 1) AS mr
      FROM (SELECT segment, count(*) AS n, sum(monetary) AS rev FROM customer_segment GROUP BY segment) d) o;

-- 2. the R x F grid
SELECT '<h2>R &#215; F grid: customers (cell colour) and mean monetary value</h2>' ||
       '<svg id="rf-grid" class="chart" width="560" height="420" viewBox="0 0 560 420">' ||
       string_agg(format('<rect class="cell" x="%s" y="%s" width="96" height="72" fill="hsl(210,60%%,%s%%)" data-r="%s" data-f="%s" data-customers="%s" data-monetary="%s"/>'
                         '<text x="%s" y="%s">%s</text><text x="%s" y="%s">avg %s</text>',
                         40 + 100 * (f - 1), 10 + 76 * (5 - r), round(95 - 55.0 * n / mn), r, f, n, round(mon, 2),
                         48 + 100 * (f - 1), 40 + 76 * (5 - r), n, 48 + 100 * (f - 1), 58 + 76 * (5 - r), round(mon, 2)),
                  '' ORDER BY r, f) ||
       '<text x="0" y="50">R5</text><text x="0" y="354">R1</text><text x="70" y="410">F1</text><text x="470" y="410">F5</text></svg>'
FROM (SELECT r, f, coalesce(n, 0) AS n, coalesce(mon, 0) AS mon, max(n) OVER () AS mn
      FROM generate_series(1, 5) r CROSS JOIN generate_series(1, 5) f
      LEFT JOIN (SELECT r(score) AS r, f(score) AS f, count(*) AS n, avg(monetary) AS mon
                 FROM customer_segment GROUP BY 1, 2) c USING (r, f)) g;

-- 3. member tiers
SELECT '<h2>Member tiers on net spend (tier4)</h2>' ||
       format('<svg id="tiers" class="chart" width="900" height="%s" viewBox="0 0 900 %s">', 10 + 22 * count(*), 10 + 22 * count(*)) ||
       string_agg(format('<text x="0" y="%s">%s</text><rect class="bar" x="170" y="%s" width="%s" height="16" data-tier="%s" data-customers="%s"/><text x="%s" y="%s">%s</text>',
                         21 + 22 * i, pg_temp.h(tier), 8 + 22 * i, greatest(1, round(500.0 * n / mn)), pg_temp.h(tier), n,
                         175 + greatest(1, round(500.0 * n / mn)), 21 + 22 * i, n), '' ORDER BY i) || '</svg>'
FROM (SELECT tier, n, row_number() OVER (ORDER BY lo) - 1 AS i, max(n) OVER () AS mn
      FROM (SELECT tier_of(monetary, 'tier4') AS tier, count(*) AS n, min(monetary) AS lo
            FROM customer_segment GROUP BY 1) t) o;

-- 4. CLV distribution per segment (predictive 12-month CLV): whiskers p10-p90, box p25-p75, median
SELECT to_regclass('customer_value') IS NOT NULL AS have_value,
       to_regclass('validation') IS NOT NULL AS have_validation \gset
\if :have_value
SELECT '<h2>12-month predictive CLV by segment (box p25-p75, whiskers p10-p90, line median)</h2>' ||
       format('<svg id="clv" class="chart" width="900" height="%s" viewBox="0 0 900 %s">', 30 + 24 * count(*), 30 + 24 * count(*)) ||
       format('<text x="170" y="14">0</text><text x="820" y="14">%s</text>', round(max(p90))) ||
       string_agg(format('<text x="0" y="%s">%s</text>'
                         '<line class="axis" x1="%s" x2="%s" y1="%s" y2="%s"/>'
                         '<rect class="bar" x="%s" y="%s" width="%s" height="16" data-segment="%s" data-median="%s"/>'
                         '<line x1="%s" x2="%s" y1="%s" y2="%s" stroke="#000" stroke-width="2"/>',
                         37 + 24 * i, pg_temp.h(segment),
                         170 + round(650 * p10 / mx), 170 + round(650 * p90 / mx), 32 + 24 * i, 32 + 24 * i,
                         170 + round(650 * p25 / mx), 24 + 24 * i, greatest(1, round(650 * (p75 - p25) / mx)), pg_temp.h(segment), round(med::numeric, 2),
                         170 + round(650 * med / mx), 170 + round(650 * med / mx), 24 + 24 * i, 40 + 24 * i),
                  '' ORDER BY i) || '</svg>'
FROM (SELECT *, row_number() OVER (ORDER BY med DESC, segment) - 1 AS i, greatest(max(p90) OVER (), 1e-9) AS mx
      FROM (SELECT s.segment,
                   percentile_cont(0.1) WITHIN GROUP (ORDER BY v.clv_12m) AS p10,
                   percentile_cont(0.25) WITHIN GROUP (ORDER BY v.clv_12m) AS p25,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY v.clv_12m) AS med,
                   percentile_cont(0.75) WITHIN GROUP (ORDER BY v.clv_12m) AS p75,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY v.clv_12m) AS p90
            FROM customer_segment s JOIN customer_value v USING (customer_id)
            GROUP BY s.segment) d) o;
\else
SELECT '<h2>12-month CLV by segment</h2><p class="note">Not drawn: a model did not converge, so there is no predictive CLV.</p>';
\endif

-- 5. model validation: predicted vs actual holdout purchases per bucket
\if :have_validation
SELECT coalesce(bool_and(converged), false) AS validation_ok FROM validation \gset
\else
\set validation_ok false
\endif
\if :validation_ok
SELECT '<h2>Model validation: mean holdout purchases, predicted (BG/NBD) vs actual, by calibration repeat purchases</h2>' ||
       '<svg id="validation" class="chart" width="560" height="300" viewBox="0 0 560 300">' ||
       '<line class="axis" x1="50" x2="530" y1="260" y2="260"/><line class="axis" x1="50" x2="50" y1="10" y2="260"/>' ||
       format('<text x="4" y="20">%s</text><text x="30" y="262">0</text>', round(max(mx)::numeric, 1)) ||
       format('<polyline id="predicted" fill="none" stroke="#e0904a" stroke-width="2" stroke-dasharray="6 3" points="%s"/>',
              string_agg(format('%s,%s', 70 + 60 * bucket, round((260 - 240 * predicted / mx)::numeric, 1)), ' ' ORDER BY bucket)) ||
       format('<polyline id="actual" fill="none" stroke="#4878a8" stroke-width="2" points="%s"/>',
              string_agg(format('%s,%s', 70 + 60 * bucket, round((260 - 240 * actual / mx)::numeric, 1)), ' ' ORDER BY bucket)) ||
       string_agg(format('<circle cx="%s" cy="%s" r="3" fill="#4878a8" data-bucket="%s" data-actual="%s" data-predicted="%s"/><text x="%s" y="278">%s</text>',
                         70 + 60 * bucket, round((260 - 240 * actual / mx)::numeric, 1), repeat_purchases,
                         round(actual::numeric, 3), round(predicted::numeric, 3), 66 + 60 * bucket, repeat_purchases), '' ORDER BY bucket) ||
       '<text x="380" y="30" fill="#4878a8">&#8212; actual</text><text x="380" y="46">- - predicted</text></svg>' ||
       '<table><tr><th>repeat purchases</th><th>customers</th><th>predicted</th><th>actual</th><th>gap</th></tr>' ||
       string_agg(format('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>', repeat_purchases, customers,
                         round(predicted::numeric, 3), round(actual::numeric, 3), round((predicted - actual)::numeric, 3)), '' ORDER BY bucket) ||
       format('</table><p class="note">BG/NBD converged: %s.</p>', bool_and(converged))
FROM (SELECT *, greatest(max(greatest(predicted, actual)) OVER (), 1e-9) AS mx FROM validation) v;
\elif :have_validation
SELECT '<h2>Model validation</h2><p class="note">Not drawn: the calibration BG/NBD fit did not converge, so there are no predictions.</p>';
\else
SELECT '<h2>Model validation</h2><p class="note">Not drawn: no validation table.</p>';
\endif

-- 6. cohort retention, when the extension has the cohort functions
SELECT EXISTS (SELECT FROM pg_proc WHERE proname = 'cohort_retention') AS have_cohort \gset
\if :have_cohort
\ir report_cohort.sql
\endif

SELECT '</body></html>';
