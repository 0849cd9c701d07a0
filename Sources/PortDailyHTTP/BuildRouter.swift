public import Hummingbird
public import PortDailyConfig
public import PortDailyStore
public import Prometheus

/// The whole HTTP API: system endpoints without a token, `/v1` behind the token authenticator.
/// The daemon serves it; tests build it too, to check it against the OpenAPI document.
public func buildRouter(store: PortDailyStore, configuration: LiveConfiguration,
                        registry: PrometheusCollectorRegistry) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let availability = StoreAvailability()
    router.add(middleware: ProblemMiddleware(availability: availability))
    router.add(middleware: MetricsMiddleware())
    SystemRoutes(store: store, configuration: configuration, registry: registry).addRoutes(to: router)
    router.get("openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                 body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
    }
    let api = router.group("v1").add(middleware: TokenAuthenticator(store: store))
        .add(middleware: StoreReopenMiddleware(store: store, availability: availability))
    VoyageRoutes(store: store, configuration: configuration, availability: availability).addRoutes(to: api)
    ReportRoutes(store: store, configuration: configuration, availability: availability).addRoutes(to: api)
    VesselRoutes(store: store, configuration: configuration).addRoutes(to: api)
    FigureRoutes(store: store, configuration: configuration).addRoutes(to: api)
    return router
}
