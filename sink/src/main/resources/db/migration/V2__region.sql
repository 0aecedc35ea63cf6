-- The Shanxi divisions (province, cities, counties and functional zones, townships). The rows are loaded by
-- the Java migration 3 (LoadRegionsMigration) from the reference data the whole pipeline validates against.
CREATE TABLE region (
    code             varchar(9) PRIMARY KEY,
    level            text       NOT NULL CHECK (level IN ('PROVINCE', 'CITY', 'COUNTY', 'TOWNSHIP')),
    parent_code      varchar(9) REFERENCES region (code),
    name_zh          text       NOT NULL,
    name_en          text       NOT NULL,
    division_type    text       NOT NULL,
    statistical_zone boolean    NOT NULL DEFAULT false,
    CHECK ((level = 'PROVINCE') = (parent_code IS NULL))
);

CREATE INDEX region_parent_idx ON region (parent_code);

COMMENT ON TABLE region IS
    'Shanxi administrative divisions from the reference data (shanxi-divisions.csv): one row per province, '
    'city, county (or NBS statistical functional zone, counted at COUNTY level) and township.';
COMMENT ON COLUMN region.code IS '6-digit code down to county level, 9-digit statistical code for a township.';
COMMENT ON COLUMN region.level IS 'PROVINCE, CITY, COUNTY (includes the statistical functional zones) or TOWNSHIP.';
COMMENT ON COLUMN region.parent_code IS 'Code of the division one level up; NULL for the province.';
COMMENT ON COLUMN region.name_zh IS 'Chinese name.';
COMMENT ON COLUMN region.name_en IS 'English name or pinyin.';
COMMENT ON COLUMN region.division_type IS 'Kind of division as published (county, district, town (镇), subdistrict (街道), ...).';
COMMENT ON COLUMN region.statistical_zone IS 'True for the NBS statistical functional zones, which are not in GB/T 2260.';

-- Every township with the three levels above it: the hierarchy as one join.
CREATE VIEW region_lineage AS
SELECT t.code              AS township_code,
       t.name_zh           AS township_name_zh,
       t.name_en           AS township_name_en,
       c.code              AS county_code,
       c.name_zh           AS county_name_zh,
       c.name_en           AS county_name_en,
       c.statistical_zone  AS county_is_functional_zone,
       ci.code             AS city_code,
       ci.name_zh          AS city_name_zh,
       ci.name_en          AS city_name_en,
       p.code              AS province_code,
       p.name_zh           AS province_name_zh,
       p.name_en           AS province_name_en
FROM region t
JOIN region c ON c.code = t.parent_code
JOIN region ci ON ci.code = c.parent_code
JOIN region p ON p.code = ci.parent_code
WHERE t.level = 'TOWNSHIP';

COMMENT ON VIEW region_lineage IS
    'One row per township with its county (or functional zone), city and province: township_code, '
    'county_code, city_code, province_code and the Chinese (_zh) and English/pinyin (_en) name of each; '
    'county_is_functional_zone marks the NBS statistical zones.';
