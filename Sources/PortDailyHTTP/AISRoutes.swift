import Hummingbird
import PortDailyAIS
import PortDailyConfig
import PortDailyCore
import PortDailyStore

/// `GET /v1/ais/discrepancies?date=D[&vessel=MMSI]`: the AIS cross-check of a local day, the
/// vessel-days within the caller's scope (an operator its vessels; a bureau those shared with it
/// or whose track lay in its waters; an admin all). Advice: no report is changed.
struct AISRoutes: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration

    func addRoutes(to routes: ScopedRoutes<RouterGroup<AppRequestContext>>) {
        routes.get("ais/discrepancies", .readAISCheck) { request, _, scope in try discrepancies(request, scope) }
    }

    func discrepancies(_ request: Request, _ scope: Scope) throws -> Response {
        let config = configuration.current
        let date = try request.query("date", "a date YYYY-MM-DD") { LocalDate($0) }
        let vessel = try request.optionalQuery("vessel", "an MMSI (nine digits)") { MMSI($0) }
        let checks = try store.aisCheck(date: date, vessel: vessel, setup: config.setup, calendar: config.calendar,
                                        settings: config.ais.crossCheck)
            .filter { scope.canSeeAISDay(operator: $0.operator, sharedWith: $0.sharedWith, touched: $0.bureausTouched) }
        var writer = JSONWriter(capacity: 4096)
        VesselDayCheck.writeDayJSON(date: date, checks, into: &writer)
        return Responses.tagged(writer.bytes, contentType: "application/json", status: .ok, request: request)
    }
}
