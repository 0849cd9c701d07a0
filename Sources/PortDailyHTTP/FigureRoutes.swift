import Hummingbird
import PortDailyConfig
import PortDailyCore
import PortDailyStore

/// `GET /v1/figures`: admin all voyages; an operator its own vessels'; a bureau the voyages that
/// touched its waters (the scope's filters).
struct FigureRoutes: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration

    func addRoutes(to routes: ScopedRoutes<RouterGroup<AppRequestContext>>) {
        routes.get("figures", .readFigures) { request, _, scope in try figures(request, scope) }
    }

    func figures(_ request: Request, _ scope: Scope) throws -> Response {
        let config = configuration.current
        let from = try request.query("from", "a date YYYY-MM-DD") { LocalDate($0) }
        let to = try request.query("to", "a date YYYY-MM-DD") { LocalDate($0) }
        guard config.daemon.limits.admitsFiguresPeriod(from: from, to: to) else {
            throw Problem(.badRequest,
                          detail: "from must not be after to, and the period at most \(config.daemon.limits.maxFiguresDays) days")
        }
        let parameters = request.uri.queryParameters
        // Checked whatever the format asked for: a bad value is an error in JSON too.
        let byteOrderMark = try request.flag("bom")
        if let type = parameters.get("type"), !config.setup.vesselTypes.contains(type) {
            throw Problem(.badRequest, detail: "type: unknown vessel type '\(type)' (known: \(config.setup.vesselTypes.joined(separator: ", ")))")
        }
        let query = FigureQuery(from: from, to: to, operator: scope.operatorFilter(requested: parameters.get("operator")),
                                bureau: scope.bureauFilter(requested: parameters.get("bureau")),
                                vesselType: parameters.get("type"))
        if let bureau = query.bureau, config.setup.bureau(bureau) == nil {
            throw Problem(.badRequest, detail: "bureau: unknown bureau '\(bureau)'")
        }
        let result = try store.figures(query, setup: config.setup, parameters: config.figures)
        if try Responses.wantsCSV(request) {
            return Responses.csv(header: FigureResult.csvHeader, rows: result.csvRows, byteOrderMark: byteOrderMark,
                                 request: request)
        }
        return try Responses.json(result, request: request)
    }
}
