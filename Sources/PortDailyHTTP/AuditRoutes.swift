import Hummingbird
import PortDailyConfig
import PortDailyCore
import PortDailyStore

/// `GET /v1/audit`: the audit trail (admins only). Read-only: no route changes it.
struct AuditRoutes: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration

    func addRoutes(to routes: ScopedRoutes<RouterGroup<AppRequestContext>>) {
        routes.get("audit", .readAudit) { request, _, _ in try list(request) }
    }

    /// The events of the local days `from` through `to`, oldest first, a page at a time (`after`:
    /// the last id of the previous page), optionally of one actor.
    func list(_ request: Request) throws -> Response {
        let config = configuration.current
        let from = try request.query("from", "a date YYYY-MM-DD") { LocalDate($0) }
        let to = try request.query("to", "a date YYYY-MM-DD") { LocalDate($0) }
        guard from <= to else { throw Problem(.badRequest, detail: "from must not be after to") }
        let actor = request.uri.queryParameters.get("actor")
        let after = try request.optionalQuery("after", "an event id") { Int64($0).flatMap { $0 >= 0 ? $0 : nil } } ?? 0
        let limit = try request.optionalQuery("limit", "1 to \(config.daemon.limits.maxPageSize)") {
            Int($0).flatMap { (1...config.daemon.limits.maxPageSize).contains($0) ? $0 : nil }
        } ?? APILimits.defaultPageSize
        let events = try store.auditEvents(from: config.calendar.startOfDay(from), to: config.calendar.startOfDay(to.adding(days: 1)),
                                           actor: actor, after: after, limit: limit)
        return try Responses.json(AuditPage(events: events, next: events.count == limit ? events.last?.id : nil), request: request)
    }

    struct AuditPage: Encodable {
        let events: [AuditEvent]
        /// Pass as `after` for the next page; absent on the last.
        let next: Int64?
    }
}
