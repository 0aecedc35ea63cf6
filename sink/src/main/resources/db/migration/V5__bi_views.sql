-- Views for BI tools. The homecoming_bi role reads these and region, never the tables behind them.

CREATE VIEW v_region_totals AS
SELECT t.region_code,
       r.level AS region_level,
       r.name_zh AS region_name_zh,
       r.name_en AS region_name_en,
       r.parent_code,
       t.period_kind,
       t.period_start,
       t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region r ON r.code = t.region_code;

COMMENT ON VIEW v_region_totals IS
    'Every bucket of region_totals with its region: region_code, region_level (PROVINCE, CITY, COUNTY, TOWNSHIP), '
    'region_name_zh, region_name_en, parent_code, period_kind (ALL, YEAR, MONTH, DAY), period_start (1970-01-01 for '
    'ALL, else the first day of the period), returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application).';

CREATE VIEW v_province_daily AS
SELECT t.period_start AS day,
       t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region r ON r.code = t.region_code
WHERE r.level = 'PROVINCE' AND t.period_kind = 'DAY';

COMMENT ON VIEW v_province_daily IS
    'Shanxi province, one row per day that has a bucket in region_totals: day (the date), returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application).';

CREATE VIEW v_city_daily AS
SELECT r.code AS city_code,
       r.name_zh AS city_name_zh,
       r.name_en AS city_name_en,
       t.period_start AS day,
       t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region r ON r.code = t.region_code
WHERE r.level = 'CITY' AND t.period_kind = 'DAY';

COMMENT ON VIEW v_city_daily IS
    'Each of the 11 cities, one row per city and day that has a bucket in region_totals: city_code, city_name_zh, city_name_en, day (the date), returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application).';

CREATE VIEW v_province_monthly AS
SELECT t.period_start AS month_start, to_char(t.period_start, 'YYYY-MM') AS month,
       t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region r ON r.code = t.region_code
WHERE r.level = 'PROVINCE' AND t.period_kind = 'MONTH';

COMMENT ON VIEW v_province_monthly IS
    'Shanxi province, one row per month that has a bucket in region_totals: month_start (the 1st), month (YYYY-MM), returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application).';

CREATE VIEW v_city_monthly AS
SELECT r.code AS city_code,
       r.name_zh AS city_name_zh,
       r.name_en AS city_name_en,
       t.period_start AS month_start, to_char(t.period_start, 'YYYY-MM') AS month,
       t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region r ON r.code = t.region_code
WHERE r.level = 'CITY' AND t.period_kind = 'MONTH';

COMMENT ON VIEW v_city_monthly IS
    'Each of the 11 cities, one row per city and month that has a bucket in region_totals: city_code, city_name_zh, city_name_en, month_start (the 1st), month (YYYY-MM), returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application).';

CREATE VIEW v_province_yearly AS
SELECT t.period_start AS year_start, extract(year FROM t.period_start)::integer AS year,
       t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region r ON r.code = t.region_code
WHERE r.level = 'PROVINCE' AND t.period_kind = 'YEAR';

COMMENT ON VIEW v_province_yearly IS
    'Shanxi province, one row per year that has a bucket in region_totals: year_start (1 January), year, returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application).';

CREATE VIEW v_city_yearly AS
SELECT r.code AS city_code,
       r.name_zh AS city_name_zh,
       r.name_en AS city_name_en,
       t.period_start AS year_start, extract(year FROM t.period_start)::integer AS year,
       t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region r ON r.code = t.region_code
WHERE r.level = 'CITY' AND t.period_kind = 'YEAR';

COMMENT ON VIEW v_city_yearly IS
    'Each of the 11 cities, one row per city and year that has a bucket in region_totals: city_code, city_name_zh, city_name_en, year_start (1 January), year, returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application).';

CREATE VIEW v_province_all_time AS
SELECT t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region r ON r.code = t.region_code
WHERE r.level = 'PROVINCE' AND t.period_kind = 'ALL';

COMMENT ON VIEW v_province_all_time IS
    'Shanxi province over all time, one row: returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application).';

CREATE VIEW v_city_all_time AS
SELECT r.code AS city_code,
       r.name_zh AS city_name_zh,
       r.name_en AS city_name_en,
       t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region r ON r.code = t.region_code
WHERE r.level = 'CITY' AND t.period_kind = 'ALL';

COMMENT ON VIEW v_city_all_time IS
    'Each of the 11 cities, one row per city over all time: city_code, city_name_zh, city_name_en, returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application).';

CREATE VIEW v_county_yearly AS
SELECT r.code AS county_code,
       r.name_zh AS county_name_zh,
       r.name_en AS county_name_en,
       r.statistical_zone AS is_functional_zone,
       r.parent_code AS city_code,
       t.period_start AS year_start,
       extract(year FROM t.period_start)::integer AS year,
       t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region r ON r.code = t.region_code
WHERE r.level = 'COUNTY' AND t.period_kind = 'YEAR';

COMMENT ON VIEW v_county_yearly IS
    'Each county (and NBS statistical functional zone), one row per county and year: county_code, county_name_zh, '
    'county_name_en, is_functional_zone, city_code, year_start (1 January), year, returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application).';

CREATE VIEW v_township_league AS
SELECT rank() OVER (ORDER BY t.returnees DESC) AS rank_in_province,
       rank() OVER (PARTITION BY l.city_code ORDER BY t.returnees DESC) AS rank_in_city,
       l.township_code,
       l.township_name_zh,
       l.township_name_en,
       l.county_code,
       l.county_name_zh,
       l.city_code,
       l.city_name_zh,
       t.returnees,
       t.employed_near_home,
       t.businesses_started,
       t.guaranteed_loans_fen,
       round(t.guaranteed_loans_fen / 100.0, 2) AS guaranteed_loans_yuan,
       t.jobs_created,
       t.trained,
       t.updated_at
FROM region_totals t
JOIN region_lineage l ON l.township_code = t.region_code
WHERE t.period_kind = 'ALL';

COMMENT ON VIEW v_township_league IS
    'League table of townships over all time, ranked by returnees (ties share a rank): rank_in_province, '
    'rank_in_city, township_code, township_name_zh, township_name_en, county_code, county_name_zh, city_code, '
    'city_name_zh, returnees (people whose latest active return registration falls here), employed_near_home, businesses_started, trained (people, each counted once at their earliest active qualifying event), guaranteed_loans_fen and guaranteed_loans_yuan (sum of guaranteed start-up loans over active business starts), jobs_created (sum over active business starts), updated_at (last change by the streams application). Townships without any registration have no row.';
