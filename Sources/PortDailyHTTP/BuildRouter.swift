public import Hummingbird
public import PortDailyConfig
public import PortDailyCore
public import PortDailyStore
public import Prometheus

/// The whole HTTP API: system endpoints without a token, `/v1` behind the token authenticator.
/// Every route is added through ``ScopedRoutes``, so the scope policy judges each request before
/// its handler runs; `ledger` collects what was added, for the test that checks nothing bypasses it.
public func buildRouter(store: PortDailyStore, configuration: LiveConfiguration, clock: any WallClock,
                        registry: PrometheusCollectorRegistry, ledger: RouteLedger = RouteLedger()) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let availability = StoreAvailability()
    router.add(middleware: ProblemMiddleware(availability: availability))
    router.add(middleware: MetricsMiddleware())
    SystemRoutes(store: store, configuration: configuration, registry: registry)
        .addRoutes(to: ScopedRoutes(methods: router, prefix: "", ledger: ledger))
    let v1 = router.group("v1").add(middleware: TokenAuthenticator(store: store))
        .add(middleware: StoreReopenMiddleware(store: store, availability: availability))
    let api = ScopedRoutes(methods: v1, prefix: "v1", ledger: ledger)
    VoyageRoutes(store: store, configuration: configuration, clock: clock, availability: availability).addRoutes(to: api)
    ReportRoutes(store: store, configuration: configuration, clock: clock, availability: availability).addRoutes(to: api)
    VesselRoutes(store: store, configuration: configuration, clock: clock).addRoutes(to: api)
    FigureRoutes(store: store, configuration: configuration).addRoutes(to: api)
    return router
}
