import Foundation
import Hummingbird
import PortDailyConfig
import PortDailyCore
import PortDailyStore

/// `/v1/daily-reports`: what bureaus pull (the reports shared with them) and operators read
/// (their own vessels'), with incremental pull, revisions and acknowledgements.
struct ReportRoutes: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration
    let clock: any WallClock
    let availability: StoreAvailability

    func addRoutes(to routes: ScopedRoutes<RouterGroup<AppRequestContext>>) {
        routes.get("daily-reports", .readReports) { request, context, scope in try await list(request, context, scope) }
        routes.get("daily-reports/changes", .readReports) { request, context, scope in try await changes(request, context, scope) }
        routes.get("daily-reports/{mmsi}/{date}", .readReports) { request, context, scope in
            try await single(request, context, scope)
        }
        routes.post("daily-reports/{mmsi}/{date}/acknowledgements", .acknowledgeReports) { request, context, scope in
            try await acknowledge(request, context, scope)
        }
    }

    func list(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let date = try request.query("date", "a date YYYY-MM-DD") { LocalDate($0) }
        let mmsi = try request.optionalQuery("vessel", "an MMSI") { MMSI($0) }
        let bom = try request.flag("bom")
        let (bureau, operatorID) = reportFilter(request, scope)
        let filter = ReportFilter(date: date, bureau: bureau, mmsi: mmsi, operatorID: operatorID)
        try await foldStaleDays(mmsi.map { .day(VesselDay(mmsi: $0, date: date)) } ?? .date(date), context)
        // Read and written off the request's thread. JSON splices the stored report JSON into the
        // answer, CSV the stored rows: no report is decoded.
        if try Responses.wantsCSV(request) {
            return Responses.csv(header: ReportCSV.header, lines: try await store.latestReportRows(filter), byteOrderMark: bom,
                                 request: request)
        }
        let list = try await store.latestReportList(filter)
        return Responses.tagged(list.body, contentType: "application/json", status: .ok, request: request, identity: list.identity)
    }

    func changes(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let largest = configuration.current.daemon.limits.maxPageSize
        let since = try request.optionalQuery("since", "a cursor from a previous answer") { Int64($0).flatMap { $0 >= 0 ? $0 : nil } } ?? 0
        let limit = try request.optionalQuery("limit", "a whole number from 1 to \(largest)") {
            Int($0).flatMap { (1...largest).contains($0) ? $0 : nil }
        } ?? APILimits.defaultPageSize
        let (bureau, operatorID) = reportFilter(request, scope)
        try await foldStaleDays(.all, context)
        let items = try store.changes(since: since, limit: limit, bureau: bureau, operatorID: operatorID)
        let page = ChangesPage(items: items.map { ReportDocument(revision: $0, acknowledgements: nil) },
                               next: String(items.last?.seq ?? since))
        return try Responses.json(page, request: request)
    }

    func single(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let (reportId, visible, mmsi, date) = try await visibleRevisions(context, scope)
        let latest = visible[visible.count - 1]
        let chosen: ReportRevision
        if let wanted = try request.optionalQuery("revision", "a revision number", { Int($0) }) {
            guard let match = visible.first(where: { $0.revision == wanted }) else {
                throw Problem.notFound("revision \(wanted) of the daily report of \(mmsi) on \(date)")
            }
            chosen = match
        } else {
            chosen = latest
        }
        let document = ReportDocument(revision: chosen, acknowledgements: try store.acknowledgements(reportId: reportId),
                                      revisions: visible.map(RevisionSummary.init))
        return try Responses.json(document, request: request)
    }

    func acknowledge(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        guard let bureau = scope.acknowledgingBureau else { throw Problem(.forbidden, detail: "only bureaus acknowledge reports") }
        let (reportId, visible, _, _) = try await visibleRevisions(context, scope)
        let body = try await request.collectBody(upTo: APILimits.smallBodyBytes)
        let ack: AcknowledgementRequest
        do { ack = try JSONDecoder().decode(AcknowledgementRequest.self, from: Data(body.readableBytesView)) } catch {
            throw Problem(.badRequest, detail: "expected {\"revision\": N, \"remark\": \"…\"}")
        }
        guard visible.contains(where: { $0.revision == ack.revision }) else {
            throw Problem(.unprocessableContent, detail: "revision: no revision \(ack.revision) of this report is shared with \(bureau)")
        }
        let longest = configuration.current.daemon.limits.maxRemarkLength
        if let remark = ack.remark, remark.count > longest {
            throw Problem(.unprocessableContent, detail: "remark: longer than \(longest) characters")
        }
        try store.acknowledge(reportId: reportId, revision: ack.revision, bureau: bureau, remark: ack.remark, now: clock.now)
        return try Responses.json(try store.acknowledgements(reportId: reportId), status: .created, request: request)
    }

    /// The bureau and operator the reports read are held to: the scope's, with an admin's filters.
    func reportFilter(_ request: Request, _ scope: Scope) -> (bureau: String?, operatorID: String?) {
        scope.reportFilter(requestedBureau: request.uri.queryParameters.get("bureau"),
                           requestedOperator: request.uri.queryParameters.get("operator"))
    }

    /// The daily report named by the path's `{mmsi}/{date}` and its revisions the scope may see;
    /// 400 for a malformed path, 404 when none is visible.
    func visibleRevisions(_ context: AppRequestContext, _ scope: Scope) async throws
        -> (reportId: String, revisions: [ReportRevision], mmsi: MMSI, date: LocalDate) {
        guard let mmsi = MMSI(try context.parameters.require("mmsi")) else { throw Problem(.badRequest, detail: "mmsi: not an MMSI") }
        guard let date = LocalDate(try context.parameters.require("date")) else {
            throw Problem(.badRequest, detail: "date: not a date YYYY-MM-DD")
        }
        let reportId = Report.dailyID(mmsi: mmsi, date: date)
        try await foldStaleDays(.day(VesselDay(mmsi: mmsi, date: date)), context)
        let visible = try store.revisions(ofReport: reportId).filter { scope.canSee($0.report) }
        guard !visible.isEmpty else { throw Problem.notFound("daily report of \(mmsi) on \(date)") }
        return (reportId, visible, mmsi, date)
    }

    /// Folds the reports of the stale days a read covers (see `StaleDays` in the store), so it
    /// shows every voyage acknowledged before it. While the store cannot be written, the reports
    /// are served as they were last folded, and the fold is logged once as an outage.
    func foldStaleDays(_ scope: StaleScope, _ context: AppRequestContext) async throws {
        do {
            let written = try await store.foldStaleDays(scope, rules: configuration.current.storeRules, now: clock.now)
            if !written.isEmpty { context.logger.debug("stale reports folded for a read", metadata: ["REPORTS": "\(written.count)"]) }
        } catch where PortDailyStore.isUnavailable(error) {
            availability.failed(error, logger: context.logger)
        }
    }
}

struct AcknowledgementRequest: Decodable {
    let revision: Int
    let remark: String?
}

struct ChangesPage: Encodable {
    let items: [ReportDocument]
    let next: String
}

struct RevisionSummary: Encodable {
    let revision: Int
    let late: Bool
    let recordedAt: Instant
    let changes: [ReportChange]
    init(_ r: ReportRevision) { revision = r.revision; late = r.late; recordedAt = r.recordedAt; changes = r.changes }
}

/// A report revision as the API shows it, with acknowledgements and the revision list where asked.
struct ReportDocument: Encodable {
    let revision: ReportRevision
    let acknowledgements: [Acknowledgement]?
    var revisions: [RevisionSummary]? = nil

    enum Keys: String, CodingKey { case acknowledgements, revisions, seq }

    func encode(to encoder: any Encoder) throws {
        try revision.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(revision.seq, forKey: .seq)
        try container.encodeIfPresent(acknowledgements, forKey: .acknowledgements)
        try container.encodeIfPresent(revisions, forKey: .revisions)
    }
}
