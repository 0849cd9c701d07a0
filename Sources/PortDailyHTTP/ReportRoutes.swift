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
    let availability: StoreAvailability


    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("daily-reports") { request, context in try await list(request, context) }
        group.get("daily-reports/changes") { request, context in try await changes(request, context) }
        group.get("daily-reports/{mmsi}/{date}") { request, context in try await single(request, context) }
        group.post("daily-reports/{mmsi}/{date}/acknowledgements") { request, context in
            try await acknowledge(request, context)
        }
    }

    /// The scope a caller reads in: bureau → shared with it; operator → its vessels; admin → all.
    func scope(_ caller: Caller, request: Request) -> (bureau: String?, operatorID: String?) {
        switch caller {
        case .bureau(let id): return (id, nil)
        case .operator(let id): return (nil, id)
        case .admin: return (request.uri.queryParameters.get("bureau"), request.uri.queryParameters.get("operator"))
        }
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let date = try request.query("date", "a date YYYY-MM-DD") { LocalDate($0) }
        let mmsi = try request.optionalQuery("vessel", "an MMSI") { MMSI($0) }
        let bom = try request.flag("bom")
        let (bureau, operatorID) = scope(caller, request: request)
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

    func changes(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let since = try request.optionalQuery("since", "a cursor from a previous answer") { Int64($0).flatMap { $0 >= 0 ? $0 : nil } } ?? 0
        let limit = try request.optionalQuery("limit", "a whole number from 1 to 1000") { Int($0).flatMap { (1...1000).contains($0) ? $0 : nil } } ?? 100
        let (bureau, operatorID) = scope(caller, request: request)
        try await foldStaleDays(.all, context)
        let items = try store.changes(since: since, limit: limit, bureau: bureau, operatorID: operatorID)
        let page = ChangesPage(items: items.map { ReportDocument(revision: $0, acknowledgements: nil) },
                               next: String(items.last?.seq ?? since))
        return try Responses.json(page, request: request)
    }

    func single(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        let (reportId, visible, mmsi, date) = try await visibleRevisions(context, caller)
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

    func acknowledge(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.requireCaller()
        guard case .bureau(let bureau) = caller else { throw Problem.forbidden(caller, "acknowledge reports; only bureaus do") }
        let (reportId, visible, _, _) = try await visibleRevisions(context, caller)
        let body = try await request.body.collect(upTo: 64 * 1024)
        let ack: AcknowledgementRequest
        do { ack = try JSONDecoder().decode(AcknowledgementRequest.self, from: Data(body.readableBytesView)) } catch {
            throw Problem(.badRequest, detail: "expected {\"revision\": N, \"remark\": \"…\"}")
        }
        guard visible.contains(where: { $0.revision == ack.revision }) else {
            throw Problem(.unprocessableContent, detail: "revision: no revision \(ack.revision) of this report is shared with \(bureau)")
        }
        if let remark = ack.remark, remark.count > 1000 { throw Problem(.unprocessableContent, detail: "remark: longer than 1000 characters") }
        try store.acknowledge(reportId: reportId, revision: ack.revision, bureau: bureau, remark: ack.remark, now: SystemClock.now)
        return try Responses.json(try store.acknowledgements(reportId: reportId), status: .created, request: request)
    }

    /// The daily report named by the path's `{mmsi}/{date}` and its revisions the caller may see;
    /// 400 for a malformed path, 404 when none is visible.
    func visibleRevisions(_ context: AppRequestContext, _ caller: Caller) async throws
        -> (reportId: String, revisions: [ReportRevision], mmsi: MMSI, date: LocalDate) {
        guard let mmsi = MMSI(try context.parameters.require("mmsi")) else { throw Problem(.badRequest, detail: "mmsi: not an MMSI") }
        guard let date = LocalDate(try context.parameters.require("date")) else {
            throw Problem(.badRequest, detail: "date: not a date YYYY-MM-DD")
        }
        let reportId = Report.dailyID(mmsi: mmsi, date: date)
        try await foldStaleDays(.day(VesselDay(mmsi: mmsi, date: date)), context)
        let visible = try store.revisions(ofReport: reportId).filter { isVisible($0, to: caller) }
        guard !visible.isEmpty else { throw Problem.notFound("daily report of \(mmsi) on \(date)") }
        return (reportId, visible, mmsi, date)
    }

    /// Folds the reports of the stale days a read covers (see `StaleDays` in the store), so it
    /// shows every voyage acknowledged before it. While the store cannot be written, the reports
    /// are served as they were last folded, and the fold is logged once as an outage.
    func foldStaleDays(_ scope: StaleScope, _ context: AppRequestContext) async throws {
        do {
            let written = try await store.foldStaleDays(scope, rules: configuration.current.storeRules)
            if !written.isEmpty { context.logger.debug("stale reports folded for a read", metadata: ["REPORTS": "\(written.count)"]) }
        } catch where PortDailyStore.isUnavailable(error) {
            availability.failed(error, logger: context.logger)
        }
    }

    func isVisible(_ revision: ReportRevision, to caller: Caller) -> Bool {
        switch caller {
        case .admin: return true
        case .operator(let id): return revision.report.operator == id
        case .bureau(let id): return revision.report.sharedWith.contains(id)
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
