import Hummingbird
import Metrics
import PortDailyConfig
import PortDailyCore
import PortDailyLogging
import PortDailyStore
import Prometheus

/// `GET /healthz` and `GET /openapi.yaml` (no token), `GET /metrics` (loopback, or an admin token).
struct SystemRoutes: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration
    let registry: PrometheusCollectorRegistry
    let clock: any WallClock

    func addRoutes(to routes: ScopedRoutes<Router<AppRequestContext>>) {
        routes.get("healthz", .readHealth) { _, _, _ in try health() }
        routes.get("openapi.yaml", .readAPIDocument) { _, _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        let metricsRoutes = ScopedRoutes(methods: routes.methods.group().add(middleware: MetricsAccess(store: store,
                                                                                                       configuration: configuration,
                                                                                                       clock: clock)),
                                         prefix: routes.prefix, ledger: routes.ledger)
        metricsRoutes.get("metrics", .readMetrics) { _, _, _ in metrics() }
    }

    func health() throws -> Response {
        if let damage = store.damage { throw StoreAvailability.damaged(damage) }
        do { try store.ping() } catch {
            throw Problem(.serviceUnavailable, detail: "the store does not answer", retryAfter: APILimits.healthRetryAfterSeconds)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }

    func metrics() -> Response {
        // Group commit, the register snapshot and the checkpoints count themselves; read when asked for, not per request.
        let statistics = store.groupCommitStatistics
        Gauge(label: MetricName.groupCommitSubmissions).record(statistics.submissions)
        Gauge(label: MetricName.groupCommitTransactions).record(statistics.transactions)
        Gauge(label: MetricName.groupCommitWaiting).record(statistics.waiting)
        Gauge(label: MetricName.registerLoads).record(store.registerLoads)
        let checkpoints = store.checkpointStatistics
        Gauge(label: MetricName.walCheckpoints, dimensions: [("by", "thread")]).record(checkpoints.background)
        Gauge(label: MetricName.walCheckpoints, dimensions: [("by", "commit")]).record(checkpoints.inline)
        Gauge(label: MetricName.walCheckpointsFailed).record(checkpoints.failed)
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}

/// Who asks for the metrics: a loopback client when the configuration trusts them
/// (`http.metricsFromLoopback`), else the holder of a valid token, if any (the policy wants an admin).
struct MetricsAccess: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: PortDailyStore
    let configuration: LiveConfiguration
    let clock: any WallClock

    func handle(_ request: Request, context: AppRequestContext,
                next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        if context.fromLoopback && configuration.current.daemon.metricsFromLoopback {
            context.principal = .trustedLoopback
        } else if let secret = TokenAuthenticator.bearerSecret(request),
                  let caller = try store.caller(forSecret: secret, now: clock.now) {
            context.principal = .caller(caller)
        }
        return try await next(request, context)
    }
}
