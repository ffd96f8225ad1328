-- The operator reads the audit log by target (an order's, a wallet's history) and by operator, newest first.
create index audit_log_target_created on audit_log (target, created_at desc);
create index audit_log_actor_created on audit_log (actor, created_at desc);
