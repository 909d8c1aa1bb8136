-- 6. cohort retention heatmap (included by report.sql when the extension has
-- cohort_retention): monthly first-purchase cohorts of the last year of
-- orders, months 0-5, cell = % of the cohort buying in that month.
CREATE TEMP TABLE report_cohort AS
SELECT cohort::date AS cohort, period, cohort_size, round(100 * retention)::int AS pct
FROM cohort_retention((
  SELECT cohort_table(a) FROM (
    SELECT cohort_activity(order_ts, amount, '1 month', 'UTC') AS a
    FROM orders GROUP BY customer_id) s))
WHERE period <= 5
  AND cohort >= date_trunc('month', (SELECT max(order_ts) FROM orders) AT TIME ZONE 'UTC') - interval '12 months';

SELECT '<h2>Monthly cohort retention (% of each first-purchase cohort buying in month k)</h2>' ||
       format('<svg id="cohorts" class="chart" width="900" height="%s" viewBox="0 0 900 %s">',
              40 + 22 * count(DISTINCT cohort), 40 + 22 * count(DISTINCT cohort)) ||
       string_agg(format('<rect x="%s" y="%s" width="100" height="20" fill="rgb(%s,%s,255)" data-cohort="%s" data-period="%s" data-pct="%s"/>'
                         '<text x="%s" y="%s">%s%%</text>',
                         200 + 102 * period, 30 + 22 * i, 255 - round(2.2 * least(pct, 100)), 255 - round(1.6 * least(pct, 100)),
                         cohort, period, pct, 235 + 102 * period, 45 + 22 * i, pct), '' ORDER BY i, period) ||
       (SELECT string_agg(format('<text x="%s" y="20">month %s</text>', 220 + 102 * k, k), '' ORDER BY k)
        FROM generate_series(0, 5) k) ||
       (SELECT string_agg(format('<text x="0" y="%s">%s (%s)</text>', 45 + 22 * (dense_rank - 1), cohort, cohort_size), '')
        FROM (SELECT DISTINCT cohort, cohort_size, dense_rank() OVER (ORDER BY cohort) FROM report_cohort) c) ||
       '</svg>'
FROM (SELECT *, dense_rank() OVER (ORDER BY cohort) - 1 AS i FROM report_cohort) o
HAVING count(*) > 0;
