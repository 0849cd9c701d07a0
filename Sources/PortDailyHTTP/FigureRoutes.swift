import Hummingbird
import PortDailyConfig
import PortDailyCore
import PortDailyStore

/// `GET /v1/figures`: admin all voyages; an operator its own vessels'; a bureau the voyages that
/// touched its waters.
struct FigureRoutes: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration


    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("figures") { request, context in try figures(request, context) }
    }

    func figures(_ request: Request, _ context: AppRequestContext) throws -> Response {
        let caller = try context.requireCaller()
        let config = configuration.current
        let from = try request.query("from", "a date YYYY-MM-DD") { LocalDate($0) }
        let to = try request.query("to", "a date YYYY-MM-DD") { LocalDate($0) }
        guard from <= to, to.dayNumber - from.dayNumber < 3660 else {
            throw Problem(.badRequest, detail: "from must not be after to, and the period at most ten years")
        }
        var query = FigureQuery(from: from, to: to, operator: request.uri.queryParameters.get("operator"),
                                bureau: request.uri.queryParameters.get("bureau"),
                                vesselType: request.uri.queryParameters.get("type"))
        switch caller {
        case .admin: break
        case .operator(let id): query.operator = id
        case .bureau(let id): query.bureau = id
        }
        if let bureau = query.bureau, config.setup.bureau(bureau) == nil {
            throw Problem(.badRequest, detail: "bureau: unknown bureau '\(bureau)'")
        }
        let inputs = try store.figureInputs(from: from, to: to, setup: config.setup)
        let result = FigureCalculator(setup: config.setup, parameters: config.figures)
            .figures(query, vessels: inputs.vessels, voyages: inputs.voyages)
        if try Responses.wantsCSV(request) {
            return Responses.csv(header: FigureResult.csvHeader, rows: result.csvRows, byteOrderMark: try request.flag("bom"),
                                 request: request)
        }
        return try Responses.json(result, request: request)
    }
}
