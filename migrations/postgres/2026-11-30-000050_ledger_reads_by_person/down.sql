COMMENT ON INDEX placements_province_started IS NULL;
