import Foundation
import HTTPTypes
package import Hummingbird
import Logging
package import PortDailyConfig
package import PortDailyCore
package import PortDailyHTTP
package import PortDailyStore
import Mustache

/// The web console under `/ui/`, served by the daemon beside the API: the same store, scope
/// policy and operations (``APIOperations``) behind a sign-in with sessions instead of tokens.
package struct Console: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration
    let clock: any WallClock
    let operations: APIOperations
    let pages: PageRenderer
    let limiter = SignInLimiter()
    /// A day's report rows rendered as HTML, per language, until a report or an acknowledgement
    /// changes (the store checks the version, as for the API's lists).
    let rowCaches = Dictionary(uniqueKeysWithValues: Language.allCases.map {
        ($0, ReportListCache<RenderedRows>(size: { $0.html.utf8.count }))
    })
    /// A day's AIS check for the day page, for a minute (the tracks change by the second; the
    /// flags are advice, and a busy day page must not read a national day's tracks each time).
    let aisDays = AISDayCache()

    package init(store: PortDailyStore, configuration: LiveConfiguration, clock: any WallClock, operations: APIOperations) {
        self.store = store
        self.configuration = configuration
        self.clock = clock
        self.operations = operations
        self.pages = PageRenderer()
    }

    package func addRoutes(to router: Router<AppRequestContext>) {
        let root = ScopedRoutes(methods: router, prefix: "", ledger: operations.ledger)
        root.get("/", .openConsole) { _, _, _ in ConsoleResponse.redirect(to: "/ui/reports") }
        let ui = router.group("ui").add(middleware: ConsoleMiddleware(console: self))
        let routes = ScopedRoutes(methods: ui, prefix: "ui", ledger: operations.ledger) { ConsoleRefusal($0) }
        routes.get("", .openConsole) { _, _, _ in ConsoleResponse.redirect(to: "/ui/reports") }
        routes.get("assets/{name}", .openConsole) { request, context, _ in try asset(request, context) }
        routes.get("login", .openConsole) { request, context, _ in try signInForm(request, context) }
        routes.post("login", .openConsole) { request, context, _ in try await signIn(request, context) }
        routes.post("logout", .signOut) { request, context, _ in try await signOut(request, context) }
        routes.get("reports", .readReports) { request, context, scope in try await reports(request, context, scope) }
        routes.get("reports.csv", .readReports) { request, context, scope in try await reportsCSV(request, context, scope) }
        routes.get("reports/{mmsi}/{date}", .readReports) { request, context, scope in try await report(request, context, scope) }
        routes.post("reports/{mmsi}/{date}/acknowledge", .acknowledgeReports) { request, context, scope in
            try await acknowledge(request, context, scope)
        }
        routes.get("figures", .readFigures) { request, context, scope in try figures(request, context, scope) }
        routes.get("upload", .submitVoyages) { request, context, scope in try uploadPage(request, context, scope) }
        routes.post("upload", .submitVoyages) { request, context, scope in try await upload(request, context, scope) }
        routes.get("upload/template.csv", .submitVoyages) { _, _, _ in uploadTemplate() }
        routes.post("voyages/cancel", .cancelVoyages) { request, context, scope in try await cancel(request, context, scope) }
        routes.get("admin", .administer) { request, context, scope in try admin(request, context, scope) }
        // Any other path under /ui/: the console's own 404 page (with its headers), not the API's JSON.
        routes.get("**", .openConsole) { _, _, _ in throw Problem(.notFound, detail: "no such page") }
    }

    var settings: ConsoleSettings { configuration.current.daemon.console }

    var timeouts: SessionTimeouts {
        SessionTimeouts(idleMilliseconds: settings.sessionIdleMilliseconds, lifetimeMilliseconds: settings.sessionLifetimeMilliseconds)
    }

    /// The asset named by the path, with its hash as ETag (304 when the browser has it).
    func asset(_ request: Request, _ context: AppRequestContext) throws -> Response {
        guard let asset = ConsoleAssets.all[try context.parameters.require("name")] else { throw Problem(.notFound, detail: "no such file") }
        if request.headers[.ifNoneMatch] == asset.etag { return Response(status: .notModified, headers: [.eTag: asset.etag]) }
        return Response(status: .ok, headers: [.contentType: asset.contentType, .eTag: asset.etag, .cacheControl: "no-cache"],
                        body: .init(byteBuffer: ByteBuffer(bytes: asset.body)))
    }
}

/// The console's answer to a refusal of the scope policy: to the sign-in page without a
/// session, a 403 page for a role that may not.
struct ConsoleRefusal: Error {
    let refusal: ScopeRefusal
    init(_ refusal: ScopeRefusal) { self.refusal = refusal }
}

/// Responses every page shares.
enum ConsoleResponse {
    static func redirect(to location: String) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        SecurityHeaders.add(to: &headers)
        return Response(status: .seeOther, headers: headers)
    }
}

/// The headers of every console answer: only the daemon itself may supply anything (no inline
/// script or style: the pages have none), no framing, no sniffing, no referrer to other sites.
enum SecurityHeaders {
    static let contentSecurityPolicy = """
        default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
        connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'
        """

    static func add(to headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
    }
}
