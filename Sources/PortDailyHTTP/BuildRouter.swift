package import Hummingbird
package import PortDailyConfig
package import PortDailyCore
package import PortDailyStore
package import Prometheus

/// The whole HTTP API: system endpoints without a token, `/v1` behind the token authenticator.
/// Every route is added through ``ScopedRoutes``, so the scope policy judges each request before
/// its handler runs; `ledger` collects what was added, for the test that checks nothing bypasses it.
/// `extend` adds more routes (the console) with the same operations the API's handlers use.
package func buildRouter(store: PortDailyStore, configuration: LiveConfiguration, clock: any WallClock,
                         registry: PrometheusCollectorRegistry, ledger: RouteLedger = RouteLedger(),
                         journalClock: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
                         clientCertificates: any ClientCertificateLookup = NoClientCertificates(),
                         extend: (Router<AppRequestContext>, APIOperations) -> Void = { _, _ in }) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let availability = StoreAvailability(store: store)
    let guardian = AbuseGuard(configuration: configuration, clock: journalClock)
    router.add(middleware: ProblemMiddleware(availability: availability))
    router.add(middleware: ForwardedClient(configuration: configuration))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LoadShedding(guardian: guardian))
    SystemRoutes(store: store, configuration: configuration, registry: registry, clock: clock)
        .addRoutes(to: ScopedRoutes(methods: router, prefix: "", ledger: ledger))
    let v1 = router.group("v1").add(middleware: TokenAuthenticator(store: store, clock: clock, guardian: guardian,
                                                                          clientCertificates: clientCertificates))
        .add(middleware: StoreWriteGate(availability: availability))
    let api = ScopedRoutes(methods: v1, prefix: "v1", ledger: ledger)
    let operations = APIOperations(
        voyages: VoyageRoutes(store: store, configuration: configuration, clock: clock, availability: availability,
                              logBudgets: IngestLogBudgets(now: journalClock)),
        reports: ReportRoutes(store: store, configuration: configuration, clock: clock, availability: availability),
        availability: availability, ledger: ledger)
    operations.voyages.addRoutes(to: api)
    operations.reports.addRoutes(to: api)
    VesselRoutes(store: store, configuration: configuration, clock: clock).addRoutes(to: api)
    FigureRoutes(store: store, configuration: configuration).addRoutes(to: api)
    AuditRoutes(store: store, configuration: configuration).addRoutes(to: api)
    AISRoutes(store: store, configuration: configuration).addRoutes(to: api)
    extend(router, operations)
    return router
}

/// What the API's handlers do, for other routes over the same store to do the same way.
package struct APIOperations: Sendable {
    package let voyages: VoyageRoutes
    package let reports: ReportRoutes
    package let availability: StoreAvailability
    package let ledger: RouteLedger
}
