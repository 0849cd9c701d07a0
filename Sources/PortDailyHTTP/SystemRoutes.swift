public import Hummingbird
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
        router.get("metrics") { _, context in try metrics(context) }
    }

    func health() throws -> Response {
        do { try store.ping() } catch {
            throw Problem(.serviceUnavailable, detail: "the store does not answer", retryAfter: 5)
        }
        return Response(status: .ok, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ok"}"#)))
    }

    func metrics(_ context: AppRequestContext) throws -> Response {
        guard context.fromLoopback && configuration.current.daemon.metricsFromLoopback else {
            throw Problem(.unauthorized, detail: "metrics are served to loopback clients only")
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
    }
}
