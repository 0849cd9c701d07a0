public import Hummingbird
import Metrics
import PortDailyCore
public import PortDailyConfig
public import PortDailyStore
public import Prometheus

/// `GET /healthz` (no token) and `GET /metrics` (loopback, or an admin token once tokens exist).
public struct SystemRoutes: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration
    let registry: PrometheusCollectorRegistry

    public init(store: PortDailyStore, configuration: LiveConfiguration, registry: PrometheusCollectorRegistry) {
        self.store = store
        self.configuration = configuration
        self.registry = registry
    }

    public func addRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in try health() }
        router.get("metrics") { request, context in try metrics(request, context) }
    }

    func health() throws -> Response {
        do { try store.ping() } catch {
            throw Problem(.serviceUnavailable, detail: "the store does not answer", retryAfter: 5)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }

    /// Loopback clients need no token (when `http.metricsFromLoopback`); anyone else needs an admin token.
    func metrics(_ request: Request, _ context: AppRequestContext) throws -> Response {
        if !(context.fromLoopback && configuration.current.daemon.metricsFromLoopback) {
            guard let secret = TokenAuthenticator.bearerSecret(request), let caller = try store.caller(forSecret: secret) else {
                throw Problem(.unauthorized, detail: "metrics need an admin token (or a loopback client)")
            }
            guard caller == .admin else { throw Problem.forbidden(caller, "read metrics") }
        }
        // Group commit, the register snapshot and the checkpoints count themselves; read when asked for, not per request.
        let statistics = store.groupCommitStatistics
        Gauge(label: "portdaily_group_commit_submissions").record(statistics.submissions)
        Gauge(label: "portdaily_group_commit_transactions").record(statistics.transactions)
        Gauge(label: "portdaily_group_commit_waiting").record(statistics.waiting)
        Gauge(label: "portdaily_register_loads").record(store.registerLoads)
        let checkpoints = store.checkpointStatistics
        Gauge(label: "portdaily_wal_checkpoints", dimensions: [("by", "thread")]).record(checkpoints.background)
        Gauge(label: "portdaily_wal_checkpoints", dimensions: [("by", "commit")]).record(checkpoints.inline)
        Gauge(label: "portdaily_wal_checkpoints_failed").record(checkpoints.failed)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
