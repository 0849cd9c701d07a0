/// The names of the daemon's metrics, each written once: dashboards and alerts depend on them.
public enum MetricName {
    public static let sealRuns = "portdaily_seal_runs_total"
    public static let storeErrors = "portdaily_store_errors_total"
    public static let openDays = "portdaily_open_days"
    public static let storeDamaged = "portdaily_store_damaged"
    public static let integrityChecks = "portdaily_integrity_checks_total"
    public static let lastBackupAge = "portdaily_last_backup_age_seconds"
    public static let backups = "portdaily_backups_total"
    public static let backupsFailed = "portdaily_backups_failed_total"
    public static let ingestRecords = "portdaily_ingest_records_total"
    public static let groupCommitSubmissions = "portdaily_group_commit_submissions"
    public static let groupCommitTransactions = "portdaily_group_commit_transactions"
    public static let groupCommitWaiting = "portdaily_group_commit_waiting"
    public static let registerLoads = "portdaily_register_loads"
    public static let walCheckpoints = "portdaily_wal_checkpoints"
    public static let walCheckpointsFailed = "portdaily_wal_checkpoints_failed"
    /// Requests answered 429, by what limited them (`token`, `address`, `bad_tokens`).
    public static let rateLimited = "portdaily_rate_limited_total"
    /// Requests answered 503 beyond `http.maxInFlight`.
    public static let requestsShed = "portdaily_requests_shed_total"
    /// Connections closed at once beyond `http.maxConnections`.
    public static let connectionsRefused = "portdaily_connections_refused_total"
    public static let aisLines = "portdaily_ais_lines_received_total"
    public static let aisDecoded = "portdaily_ais_messages_decoded_total"
    /// Dimension `reason`: a refusal of the decoder, `duplicate`, `skipped type`, `not registered`,
    /// `no position`, `no time`.
    public static let aisDropped = "portdaily_ais_messages_dropped_total"
    public static let aisPositionsStored = "portdaily_ais_positions_stored_total"
    /// Dimension `kind`: unreported-movement, unconfirmed-voyage, area-mismatch.
    public static let aisDiscrepancies = "portdaily_ais_discrepancies_total"
}
