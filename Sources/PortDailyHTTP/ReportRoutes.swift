import Foundation
import Hummingbird
package import PortDailyAIS
import PortDailyConfig
package import PortDailyCore
package import PortDailyStore
import Synchronization

/// `/v1/daily-reports`: what bureaus pull (the reports shared with them) and operators read
/// (their own vessels'), with incremental pull, revisions and acknowledgements.
package struct ReportRoutes: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration
    let clock: any WallClock
    let availability: StoreAvailability
    package let lists = ReportLists()

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
        if try Responses.wantsCSV(request) {
            return Responses.csv(header: ReportCSV.header, lines: try await lists.csvRows(store, filter), byteOrderMark: bom,
                                 request: request)
        }
        let list = try await lists.json(store, filter, aisCheck: try aisSummaries(date))
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
        let page = ReportDocumentJSON.changesPage(items, next: String(items.last?.seq ?? since))
        return Responses.tagged(page, contentType: "application/json", status: .ok, request: request)
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
        var document = JSONWriter(capacity: 4096)
        ReportDocumentJSON.write(StoredRevisionText(chosen), acknowledgements: try store.acknowledgements(reportId: reportId),
                                 revisions: visible, changedBy: try store.changedBy(visible), aisCheck: try aisSummary(mmsi, date),
                                 into: &document)
        return Responses.tagged(document.bytes, contentType: "application/json", status: .ok, request: request)
    }

    /// The AIS check's summaries of the day's daily reports, by report id: from the day's check,
    /// kept a minute (the tracks change by the second; a pull must not read a national day's
    /// tracks each time). Empty when no AIS position was ever stored.
    func aisSummaries(_ date: LocalDate) throws -> [String: [UInt8]] {
        guard try store.hasPositions() else { return [:] }
        let config = configuration.current
        let checks = try lists.aisDays.checks(date, now: clock.now) {
            try store.aisCheck(date: date, setup: config.setup, calendar: config.calendar, settings: config.ais.crossCheck)
        }
        var summaries: [String: [UInt8]] = [:]
        for check in checks where check.positions > 0 {
            var writer = JSONWriter(capacity: 64)
            check.writeSummaryJSON(into: &writer)
            summaries[Report.dailyID(mmsi: check.mmsi, date: date)] = writer.bytes
        }
        return summaries
    }

    /// The AIS check's summary of the vessel-day (`{"confirmed", "discrepancies", "noCoverage"}`),
    /// or nil when no AIS position of the vessel was received that day.
    func aisSummary(_ mmsi: MMSI, _ date: LocalDate) throws -> [UInt8]? {
        guard try store.hasPositions() else { return nil }
        let config = configuration.current
        guard let check = try store.aisCheck(date: date, vessel: mmsi, setup: config.setup, calendar: config.calendar,
                                             settings: config.ais.crossCheck).first, check.positions > 0 else { return nil }
        var writer = JSONWriter(capacity: 64)
        check.writeSummaryJSON(into: &writer)
        return writer.bytes
    }

    func acknowledge(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        guard let bureau = scope.acknowledgingBureau else { throw Problem(.forbidden, detail: "only bureaus acknowledge reports") }
        let (reportId, visible, _, _) = try await visibleRevisions(context, scope)
        let body = try await request.collectBody(upTo: APILimits.smallBodyBytes)
        let ack: AcknowledgementRequest
        do { ack = try JSONDecoder().decode(AcknowledgementRequest.self, from: Data(body.readableBytesView)) } catch {
            throw Problem(.badRequest, detail: "expected {\"revision\": N, \"remark\": \"…\"}")
        }
        try acknowledgement(reportId: reportId, visible: visible, revision: ack.revision, remark: ack.remark, bureau: bureau,
                            by: context.auditActor)
        let acknowledgements = ReportDocumentJSON.acknowledgements(try store.acknowledgements(reportId: reportId))
        return Responses.tagged(acknowledgements, contentType: "application/json", status: .created, request: request)
    }

    /// Records `bureau`'s acknowledgement of one of the `visible` revisions (the API's and the
    /// console's alike): 422 for a revision not shared with it or an overlong remark.
    package func acknowledgement(reportId: String, visible: [ReportRevision], revision: Int, remark: String?, bureau: String,
                                 by actor: AuditActor) throws {
        guard visible.contains(where: { $0.revision == revision }) else {
            throw Problem(.unprocessableContent, detail: "revision: no revision \(revision) of this report is shared with \(bureau)")
        }
        let longest = configuration.current.daemon.limits.maxRemarkLength
        if let remark, remark.count > longest {
            throw Problem(.unprocessableContent, detail: "remark: longer than \(longest) characters")
        }
        try store.acknowledge(reportId: reportId, revision: revision, bureau: bureau, remark: remark, now: clock.now, by: actor)
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
        let (reportId, visible, _) = try await visibleRevisions(mmsi: mmsi, date: date, context, scope)
        return (reportId, visible, mmsi, date)
    }

    /// The revisions of the daily report of `mmsi` on `date` that the scope may see, oldest
    /// first, and the number of the report's latest revision (visible or not); 404 when none is.
    package func visibleRevisions(mmsi: MMSI, date: LocalDate, _ context: AppRequestContext, _ scope: Scope) async throws
        -> (reportId: String, revisions: [ReportRevision], latest: Int) {
        let reportId = Report.dailyID(mmsi: mmsi, date: date)
        try await foldStaleDays(.day(VesselDay(mmsi: mmsi, date: date)), context)
        let all = try store.revisions(ofReport: reportId)
        let visible = all.filter { scope.canSee($0.report) }
        guard !visible.isEmpty, let latest = all.last?.revision else { throw Problem.notFound("daily report of \(mmsi) on \(date)") }
        return (reportId, visible, latest)
    }

    /// Folds the reports of the stale days a read covers (see `StaleDays` in the store), so it
    /// shows every voyage acknowledged before it. While the store cannot be written, the reports
    /// are served as they were last folded, and the fold is logged once as an outage.
    package func foldStaleDays(_ scope: StaleScope, _ context: AppRequestContext) async throws {
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

/// The report lists as served, JSON and CSV, each kept by the store's cache until something it
/// shows changes; written on the store's reading thread.
package final class ReportLists: Sendable {
    struct JSONList: Sendable {
        let body: [UInt8]
        /// What determines the body, hashed for its ETag.
        let identity: [UInt8]
    }

    let jsonCache = ReportListCache<JSONList>(size: { $0.body.count + $0.identity.count })
    let csvCache = ReportListCache<[String]>(size: { $0.reduce(0) { $0 + $1.utf8.count } })
    /// The day's AIS check, for the lists' `aisCheck` summaries.
    package let aisDays = AISDayCache()

    /// The documents spliced from the stored report JSON: no report is decoded. With AIS
    /// summaries the list is written anew (they change without the store's versions).
    func json(_ store: PortDailyStore, _ filter: ReportFilter, aisCheck: [String: [UInt8]] = [:]) async throws -> JSONList {
        guard aisCheck.isEmpty else {
            let (body, identity) = ReportDocumentJSON.list(try await store.latestReportTexts(filter, for: .documents), aisCheck: aisCheck)
            return JSONList(body: body, identity: identity)
        }
        return try await store.latestReports(filter, for: .documents, cachedIn: jsonCache) { items in
            let (body, identity) = ReportDocumentJSON.list(items)
            return JSONList(body: body, identity: identity)
        }
    }

    /// The rows from the stored CSV parts (CRLF-terminated).
    package func csvRows(_ store: PortDailyStore, _ filter: ReportFilter) async throws -> [String] {
        try await store.latestReports(filter, for: .csvRows, cachedIn: csvCache) { items in try items.map { try $0.0.csvRow() } }
    }
}

/// A day's AIS check kept for a minute (the API's report lists, the console's day page).
package final class AISDayCache: Sendable {
    private let entries = Mutex<[LocalDate: (at: Instant, checks: [VesselDayCheck])]>([:])

    package init() {}

    package func checks(_ date: LocalDate, now: Instant, compute: () throws -> [VesselDayCheck]) rethrows -> [VesselDayCheck] {
        if let entry = entries.withLock({ $0[date] }), entry.at <= now,
           now.millisecondsSinceEpoch - entry.at.millisecondsSinceEpoch < 60_000 { return entry.checks }
        let checks = try compute()
        entries.withLock { entries in
            entries = entries.filter { now.millisecondsSinceEpoch - $0.value.at.millisecondsSinceEpoch < 60_000 }
            entries[date] = (now, checks)
        }
        return checks
    }
}
