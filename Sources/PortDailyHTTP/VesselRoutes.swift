import Foundation
import Hummingbird
import PortDailyConfig
import PortDailyCore
import PortDailyStore

/// `/v1/vessels`: the register (operators see their own vessels; bureaus and admins all; only
/// admins change it).
struct VesselRoutes: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration
    let clock: any WallClock

    func addRoutes(to routes: ScopedRoutes<RouterGroup<AppRequestContext>>) {
        routes.get("vessels", .readRegister) { request, _, scope in try list(request, scope) }
        routes.put("vessels/{mmsi}", .changeRegister) { request, context, _ in try await put(request, context) }
        routes.delete("vessels/{mmsi}", .changeRegister) { _, context, _ in try remove(context) }
    }

    func list(_ request: Request, _ scope: Scope) throws -> Response {
        let operatorID = scope.operatorFilter(requested: request.uri.queryParameters.get("operator"))
        let bom = try request.flag("bom")
        let vessels = try store.vessels(operator: operatorID)
        if try Responses.wantsCSV(request) {
            return Responses.csv(header: Vessel.fieldNames, rows: vessels.map(\.fieldValues),
                                 byteOrderMark: bom, request: request)
        }
        return try Responses.json(vessels, request: request)
    }

    func put(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let path = try context.parameters.require("mmsi")
        let body = try await request.collectBody(upTo: APILimits.smallBodyBytes)
        let fields: RecordFields
        do { fields = try FlatJSON.parseObject(body.readableBytesView) } catch {
            throw Problem(.badRequest, detail: "the body must be one JSON object: \(error.reason)")
        }
        var withPath = fields
        if let given = fields["mmsi"], given != path {
            throw Problem(.unprocessableContent, detail: "mmsi: the body says \(given), the path \(path)")
        }
        withPath["mmsi"] = path
        let config = configuration.current
        let vessel: Vessel
        do { vessel = try VesselValidator(setup: config.setup).validate(withPath).vessel } catch {
            throw Problem(.unprocessableContent, detail: "\(error.field): \(error.reason)",
                          errors: [RecordIssue(line: 1, error)])
        }
        let update = try store.upsertVessels([vessel], rules: config.storeRules, now: clock.now, by: context.auditActor)
        return try Responses.json(vessel, status: update.inserted > 0 ? .created : .ok, request: request)
    }

    func remove(_ context: AppRequestContext) throws -> Response {
        guard let mmsi = MMSI(try context.parameters.require("mmsi")) else { throw Problem(.badRequest, detail: "mmsi: not an MMSI") }
        guard try store.deleteVessel(mmsi, now: clock.now, by: context.auditActor) else { throw Problem.notFound("vessel \(mmsi)") }
        return Response(status: .noContent)
    }
}
