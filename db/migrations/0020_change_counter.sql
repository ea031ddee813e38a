-- 0020_change_counter.sql - the shared change counter on SQLite, as
-- PostgreSQL has had since 0001/0014: every row any writer changes (a
-- Switchyard server, the command line, the sqlite3 shell, a script) moves
-- it, and since SQLite commits one writer at a time its values come in
-- commit order. A server accounts for the values its own transactions
-- produce (the counter as its write lock is taken, and just before COMMIT),
-- so a value beyond those is another process's commit: caches, the scored
-- snapshot and verified credentials are dropped (server/store/db.c,
-- store_generation). PRAGMA data_version alone, which moves with every
-- other connection's commit including this process's own, could not tell
-- them apart while another of this process's commits was under way.
--
-- Triggers on every table but the counter itself and sign_in_failures
-- (throttle bookkeeping). An update of last-use columns alone
-- (sessions.last_seen, api_tokens.last_used_at) moving them forward is
-- bookkeeping and moves nothing; setting one back (a session made to look
-- idle) is a change like any other. A table created by a later migration needs its own three
-- triggers (copy one block below).

CREATE TABLE store_changes (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
);
INSERT INTO store_changes (id, value) VALUES (1, 0);

CREATE TRIGGER sy_changed_actual_spend_i AFTER INSERT ON actual_spend
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_actual_spend_u AFTER UPDATE ON actual_spend
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_actual_spend_d AFTER DELETE ON actual_spend
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_api_tokens_i AFTER INSERT ON api_tokens
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_api_tokens_u AFTER UPDATE OF id, user_id, name, prefix, token_hash, role, created_at, expires_at, revoked_at, may_create_tokens, parent_id ON api_tokens
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_api_tokens_d AFTER DELETE ON api_tokens
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_api_tokens_back AFTER UPDATE OF last_used_at ON api_tokens
WHEN NEW.last_used_at < OLD.last_used_at OR (NEW.last_used_at IS NULL AND OLD.last_used_at IS NOT NULL)
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_audit_events_i AFTER INSERT ON audit_events
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_audit_events_u AFTER UPDATE ON audit_events
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_audit_events_d AFTER DELETE ON audit_events
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_calendar_feeds_i AFTER INSERT ON calendar_feeds
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_calendar_feeds_u AFTER UPDATE ON calendar_feeds
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_calendar_feeds_d AFTER DELETE ON calendar_feeds
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_contract_offerings_i AFTER INSERT ON contract_offerings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_contract_offerings_u AFTER UPDATE ON contract_offerings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_contract_offerings_d AFTER DELETE ON contract_offerings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_contract_terms_i AFTER INSERT ON contract_terms
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_contract_terms_u AFTER UPDATE ON contract_terms
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_contract_terms_d AFTER DELETE ON contract_terms
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_contracts_i AFTER INSERT ON contracts
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_contracts_u AFTER UPDATE ON contracts
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_contracts_d AFTER DELETE ON contracts
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_exit_drills_i AFTER INSERT ON exit_drills
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_exit_drills_u AFTER UPDATE ON exit_drills
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_exit_drills_d AFTER DELETE ON exit_drills
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_finding_actions_i AFTER INSERT ON finding_actions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_finding_actions_u AFTER UPDATE ON finding_actions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_finding_actions_d AFTER DELETE ON finding_actions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_gateway_mappings_i AFTER INSERT ON gateway_mappings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_gateway_mappings_u AFTER UPDATE ON gateway_mappings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_gateway_mappings_d AFTER DELETE ON gateway_mappings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_gateway_spend_i AFTER INSERT ON gateway_spend
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_gateway_spend_u AFTER UPDATE ON gateway_spend
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_gateway_spend_d AFTER DELETE ON gateway_spend
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_imports_i AFTER INSERT ON imports
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_imports_u AFTER UPDATE ON imports
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_imports_d AFTER DELETE ON imports
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_offering_regions_i AFTER INSERT ON offering_regions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_offering_regions_u AFTER UPDATE ON offering_regions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_offering_regions_d AFTER DELETE ON offering_regions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_offerings_i AFTER INSERT ON offerings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_offerings_u AFTER UPDATE ON offerings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_offerings_d AFTER DELETE ON offerings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_portfolio_history_i AFTER INSERT ON portfolio_history
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_portfolio_history_u AFTER UPDATE ON portfolio_history
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_portfolio_history_d AFTER DELETE ON portfolio_history
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_provenance_i AFTER INSERT ON provenance
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_provenance_u AFTER UPDATE ON provenance
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_provenance_d AFTER DELETE ON provenance
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_reviews_i AFTER INSERT ON reviews
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_reviews_u AFTER UPDATE ON reviews
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_reviews_d AFTER DELETE ON reviews
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_risk_acceptances_i AFTER INSERT ON risk_acceptances
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_risk_acceptances_u AFTER UPDATE ON risk_acceptances
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_risk_acceptances_d AFTER DELETE ON risk_acceptances
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_risk_weights_i AFTER INSERT ON risk_weights
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_risk_weights_u AFTER UPDATE ON risk_weights
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_risk_weights_d AFTER DELETE ON risk_weights
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_scenarios_i AFTER INSERT ON scenarios
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_scenarios_u AFTER UPDATE ON scenarios
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_scenarios_d AFTER DELETE ON scenarios
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_sessions_i AFTER INSERT ON sessions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_sessions_u AFTER UPDATE OF token_hash, user_id, created, expires ON sessions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_sessions_d AFTER DELETE ON sessions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_sessions_back AFTER UPDATE OF last_seen ON sessions
WHEN NEW.last_seen < OLD.last_seen OR (NEW.last_seen IS NULL AND OLD.last_seen IS NOT NULL)
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_settings_i AFTER INSERT ON settings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_settings_u AFTER UPDATE ON settings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_settings_d AFTER DELETE ON settings
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_users_i AFTER INSERT ON users
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_users_u AFTER UPDATE ON users
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_users_d AFTER DELETE ON users
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_vendor_connections_i AFTER INSERT ON vendor_connections
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_vendor_connections_u AFTER UPDATE ON vendor_connections
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_vendor_connections_d AFTER DELETE ON vendor_connections
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_vendors_i AFTER INSERT ON vendors
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_vendors_u AFTER UPDATE ON vendors
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_vendors_d AFTER DELETE ON vendors
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhook_deliveries_i AFTER INSERT ON webhook_deliveries
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhook_deliveries_u AFTER UPDATE ON webhook_deliveries
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhook_deliveries_d AFTER DELETE ON webhook_deliveries
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhook_events_i AFTER INSERT ON webhook_events
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhook_events_u AFTER UPDATE ON webhook_events
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhook_events_d AFTER DELETE ON webhook_events
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhook_state_i AFTER INSERT ON webhook_state
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhook_state_u AFTER UPDATE ON webhook_state
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhook_state_d AFTER DELETE ON webhook_state
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhooks_i AFTER INSERT ON webhooks
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhooks_u AFTER UPDATE ON webhooks
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_webhooks_d AFTER DELETE ON webhooks
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_alternatives_i AFTER INSERT ON workload_alternatives
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_alternatives_u AFTER UPDATE ON workload_alternatives
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_alternatives_d AFTER DELETE ON workload_alternatives
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_dependencies_i AFTER INSERT ON workload_dependencies
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_dependencies_u AFTER UPDATE ON workload_dependencies
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_dependencies_d AFTER DELETE ON workload_dependencies
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_features_i AFTER INSERT ON workload_features
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_features_u AFTER UPDATE ON workload_features
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_features_d AFTER DELETE ON workload_features
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_regions_i AFTER INSERT ON workload_regions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_regions_u AFTER UPDATE ON workload_regions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workload_regions_d AFTER DELETE ON workload_regions
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workloads_i AFTER INSERT ON workloads
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workloads_u AFTER UPDATE ON workloads
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sy_changed_workloads_d AFTER DELETE ON workloads
BEGIN UPDATE store_changes SET value = value + 1 WHERE id = 1; END;
