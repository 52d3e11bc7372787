COMMENT ON INDEX placements_labourer IS NULL;
