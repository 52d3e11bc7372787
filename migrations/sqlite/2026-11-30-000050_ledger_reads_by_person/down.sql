CREATE INDEX placements_province_started ON placements (work_province, started_on);
