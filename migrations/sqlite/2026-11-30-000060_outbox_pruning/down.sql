DROP TABLE outbox_pruned;
