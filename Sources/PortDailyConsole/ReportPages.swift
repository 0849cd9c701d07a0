import Foundation
import Hummingbird
import PortDailyAIS
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyStore

/// A report of a day's list, as read from the store (cached per filter until a report or an
/// acknowledgement changes): ids, not names, so one cached list serves both languages.
struct ReportRowModel: Sendable {
    let reportId: String
    let kind: ReportKind
    let date: LocalDate
    let vesselName: String
    let mmsi: String
    let type: String
    let operatorID: String
    let homeBureau: String
    let voyages: Int
    let crossJurisdiction: Int
    let areas: [String]
    let revision: Int
    let late: Bool
    let withdrawn: Bool
    /// For the bureau the list was read for: whether it acknowledged this (latest) revision.
    let acknowledged: Bool
    let noLongerShared: Bool

    /// The row as the `reportRows` template reads it (a dictionary: see `PageRenderer.values`),
    /// with names from the configuration.
    func values(_ setup: PortSetup) -> [String: Any] {
        var values: [String: Any] = [
            "vesselName": vesselName, "mmsi": mmsi, "type": type, "operatorName": operatorID,
            "homeBureau": setup.bureau(homeBureau)?.name ?? homeBureau,
            "areas": areas.map { setup.area($0)?.name ?? $0 }.joined(separator: ", "), "voyages": voyages,
            "crossJurisdiction": crossJurisdiction, "revision": revision, "late": late, "withdrawn": withdrawn,
            "acknowledged": acknowledged, "noLongerShared": noLongerShared,
        ]
        if kind == .daily { values["href"] = "/ui/reports/\(mmsi)/\(date)" }
        return values
    }

    init(_ revision: ReportRevision, acknowledgements: [Acknowledgement], bureau: String?, noLongerShared: Bool = false) {
        let report = revision.report
        reportId = report.reportId
        kind = report.kind
        date = report.date
        vesselName = report.vesselName
        mmsi = report.mmsi.rawValue
        type = report.vesselType
        operatorID = report.operator
        homeBureau = report.homeBureau
        voyages = report.totals.voyages
        crossJurisdiction = report.totals.crossJurisdictionVoyages
        areas = report.totals.areasVisited
        self.revision = revision.revision
        late = revision.late
        withdrawn = revision.withdrawn
        acknowledged = bureau.map { bureau in acknowledgements.contains { $0.bureau == bureau && $0.revision == revision.revision } } ?? false
        self.noLongerShared = noLongerShared
    }
}

/// Report rows rendered as HTML, with the counts the page shows above them.
struct RenderedRows: Sendable {
    let html: String
    let count: Int
    let late: Int
    let unacknowledged: Int

    func appending(_ more: RenderedRows) -> RenderedRows {
        RenderedRows(html: html + more.html, count: count + more.count, late: late + more.late,
                     unacknowledged: unacknowledged + more.unacknowledged)
    }
}

extension PageRenderer {
    /// The rows of a report list in `language` (the `reportRows` template).
    func rows(_ models: [ReportRowModel], setup: PortSetup, language: Language, showAcknowledgements: Bool) -> RenderedRows {
        let values: [String: Any] = ["t": Self.catalogue(language), "showAcknowledgements": showAcknowledgements,
                                     "rows": models.map { $0.values(setup) }]
        return RenderedRows(html: library.render(values, withTemplate: "reportRows") ?? "", count: models.count,
                            late: models.filter(\.late).count,
                            unacknowledged: showAcknowledgements ? models.filter { !$0.acknowledged && !$0.noLongerShared }.count : 0)
    }
}

extension Console {
    struct ReportsPage {
        let date: String
        let vessel: String
        let previousHref, nextHref, csvHref: String
        let count, late, unacknowledged: Int
        let showAcknowledgements: Bool
        /// From the `reportRows` template (escaped there).
        let rowsHTML: String
        let empty: Bool
        /// The vessels whose AIS track differs from what was reported (within the scope).
        let aisFlags: [AISFlag]
        let hasAISFlags: Bool
    }

    struct AISFlag {
        struct Kind { let label: String; let count: Int }
        let mmsi, name, href: String
        let kinds: [Kind]
    }

    struct AISView {
        struct Row { let kind, label, movementId, from, to, fromArea, toArea, detail: String; let sharingWrong: Bool }
        let coverage: String
        let confirmed, noCoverage: Int
        let discrepancies: [Row]
        let hasDiscrepancies: Bool
    }

    /// The day's AIS checks (nil vessel: every vessel), none when no position was ever stored.
    func aisChecks(_ date: LocalDate, _ mmsi: MMSI?) throws -> [VesselDayCheck] {
        guard try store.hasPositions() else { return [] }
        let config = configuration.current
        return try store.aisCheck(date: date, vessel: mmsi, setup: config.setup, calendar: config.calendar, settings: config.ais.crossCheck)
    }

    /// The same, within the scope.
    func aisChecks(_ date: LocalDate, _ mmsi: MMSI?, _ scope: Scope) throws -> [VesselDayCheck] {
        try aisChecks(date, mmsi).filter { scope.canSeeAISDay(operator: $0.operator, sharedWith: $0.sharedWith, touched: $0.bureausTouched) }
    }

    static func label(_ kind: Discrepancy.Kind, _ strings: Strings) -> String {
        switch kind {
        case .unreportedMovement: return strings.aisKindUnreported
        case .unconfirmedVoyage: return strings.aisKindUnconfirmed
        case .areaMismatch: return strings.aisKindAreaMismatch
        }
    }

    /// The date asked for (default: today in the configured zone) and the vessel filter.
    func dayAndVessel(_ request: Request) throws -> (LocalDate, MMSI?) {
        let config = configuration.current
        let date = try request.optionalQuery("date", "a date YYYY-MM-DD") { LocalDate($0) } ?? config.calendar.localDate(of: clock.now)
        let vesselText = request.uri.queryParameters.get("vessel").map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let mmsi = vesselText.isEmpty ? nil : try request.query("vessel", "an MMSI of nine digits") { MMSI($0.trimmingCharacters(in: .whitespaces)) }
        return (date, mmsi)
    }

    func reports(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let (date, mmsi) = try dayAndVessel(request)
        let (bureau, operatorID) = scope.reportFilter(requestedBureau: nil, requestedOperator: nil)
        let filter = ReportFilter(date: date, bureau: bureau, mmsi: mmsi, operatorID: operatorID)
        try await operations.reports.foldStaleDays(mmsi.map { .day(VesselDay(mmsi: $0, date: date)) } ?? .date(date), context)
        let language = context.language
        let setup = configuration.current.setup
        let showAcknowledgements = scope.acknowledgingBureau != nil
        let pages = self.pages
        var rows = try await store.latestReports(filter, for: .documents, cachedIn: rowCaches[language]!) { items in
            let models = try items.map { try ReportRowModel($0.0.decoded(), acknowledgements: $0.1, bureau: bureau) }
            return pages.rows(models, setup: setup, language: language, showAcknowledgements: showAcknowledgements)
        }
        if let bureau = scope.acknowledgingBureau {
            let unshared = try store.reportsNoLongerShared(date: date, bureau: bureau)
                .filter { scope.canSee($0.report) && (mmsi == nil || $0.report.mmsi == mmsi) }
                .map { ReportRowModel($0, acknowledgements: [], bureau: bureau, noLongerShared: true) }
            if !unshared.isEmpty {
                rows = rows.appending(pages.rows(unshared, setup: setup, language: language, showAcknowledgements: true))
            }
        }
        // The AIS check: a list above the table, and a mark on each flagged vessel's row (added to
        // the cached rows here: the tracks change without the reports changing).
        let strings = language.strings
        let register = try store.register()
        let flagged = try aisDays.checks(date, now: clock.now) { try aisChecks(date, nil) }
            .filter { check in
                !check.discrepancies.isEmpty && (mmsi == nil || check.mmsi == mmsi)
                    && scope.canSeeAISDay(operator: check.operator, sharedWith: check.sharedWith, touched: check.bureausTouched)
            }
        var html = rows.html
        for check in flagged {
            html = html.replacingOccurrences(of: "<tr id=\"report-\(check.mmsi)\">", with: "<tr id=\"report-\(check.mmsi)\" class=\"ais-flagged\">")
        }
        let aisFlags = flagged.map { check in
            AISFlag(mmsi: check.mmsi.rawValue, name: register[check.mmsi]?.name ?? check.mmsi.rawValue,
                    href: "/ui/reports/\(check.mmsi)/\(date)#ais-check",
                    kinds: Discrepancy.Kind.allCases.compactMap { kind in
                        let count = check.discrepancies.filter { $0.kind == kind }.count
                        return count == 0 ? nil : AISFlag.Kind(label: Self.label(kind, strings), count: count)
                    })
        }
        let vesselQuery = mmsi.map { "&vessel=\($0)" } ?? ""
        let page = ReportsPage(
            date: date.description, vessel: mmsi?.rawValue ?? "",
            previousHref: "/ui/reports?date=\(date.adding(days: -1))\(vesselQuery)",
            nextHref: "/ui/reports?date=\(date.adding(days: 1))\(vesselQuery)",
            csvHref: "/ui/reports.csv?date=\(date)\(vesselQuery)", count: rows.count, late: rows.late,
            unacknowledged: rows.unacknowledged, showAcknowledgements: showAcknowledgements, rowsHTML: html,
            empty: rows.count == 0, aisFlags: aisFlags, hasAISFlags: !aisFlags.isEmpty)
        let notice = request.uri.queryParameters.get("done") == "cancelled" ? context.language.strings.cancelledNotice : nil
        return pages.page("reports", page, section: .reports, request: request, context: context, zone: zoneName, notice: notice)
    }

    /// The same list as CSV with a byte order mark (so a spreadsheet opens the Chinese names right).
    func reportsCSV(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let (date, mmsi) = try dayAndVessel(request)
        let (bureau, operatorID) = scope.reportFilter(requestedBureau: nil, requestedOperator: nil)
        let filter = ReportFilter(date: date, bureau: bureau, mmsi: mmsi, operatorID: operatorID)
        try await operations.reports.foldStaleDays(mmsi.map { .day(VesselDay(mmsi: $0, date: date)) } ?? .date(date), context)
        var response = Responses.csv(header: ReportCSV.header, lines: try await operations.reports.lists.csvRows(store, filter),
                                     byteOrderMark: true, request: request)
        response.headers[.contentDisposition] = "attachment; filename=\"daily-reports-\(date).csv\""
        return response
    }

    struct VoyageView {
        let movementId, departed, arrived, fromArea, fromBureau, toArea, toBureau, job, berths, servedShip, remarks: String
        let personsAboard: String
        let cross: Bool
    }

    struct RevisionView {
        struct Change { let action, label, movementId: String }
        let href: String
        let revision: Int
        let recordedAt: String
        let late: Bool
        let changes: [Change]
        let hasChanges: Bool
    }

    struct AcknowledgementView { let bureau: String; let revision: Int; let recordedAt: String; let remark: String }

    struct AcknowledgeForm { let action: String; let csrf: String; let revision: Int; let maxRemark: Int }

    struct ReportPage {
        let vesselName, date, mmsi, type, operatorName, homeBureau: String
        let revision: Int
        let isLatest, late, sealed, withdrawn, noLongerShared: Bool
        let voyages: [VoyageView]
        let revisions: [RevisionView]
        let acknowledgements: [AcknowledgementView]
        let noAcknowledgements: Bool
        let acknowledgeForm: AcknowledgeForm?
        /// nil: no AIS position of the vessel that day.
        let ais: AISView?
    }

    func report(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let (mmsi, date) = try reportPath(context)
        let (reportId, visible, latest) = try await operations.reports.visibleRevisions(mmsi: mmsi, date: date, context, scope)
        let lastVisible = visible[visible.count - 1]
        let chosen: ReportRevision
        if let wanted = try request.optionalQuery("revision", "a revision number", { Int($0) }) {
            guard let match = visible.first(where: { $0.revision == wanted }) else {
                throw Problem(.notFound, detail: "no revision \(wanted) of the daily report of \(mmsi) on \(date) visible to you")
            }
            chosen = match
        } else {
            chosen = lastVisible
        }
        let config = configuration.current
        let setup = config.setup
        let time = LocalTime(config.timeZone)
        let strings = context.language.strings
        let acknowledgements = try store.acknowledgements(reportId: reportId)
        let report = chosen.report
        let voyages = report.voyages.map { v in
            let fromBureau = setup.jurisdiction(ofArea: v.fromArea) ?? "", toBureau = setup.jurisdiction(ofArea: v.toArea) ?? ""
            return VoyageView(
                movementId: v.movementId, departed: time.format(v.departedAt), arrived: time.format(v.arrivedAt),
                fromArea: setup.area(v.fromArea)?.name ?? v.fromArea, fromBureau: setup.bureau(fromBureau)?.name ?? fromBureau,
                toArea: setup.area(v.toArea)?.name ?? v.toArea, toBureau: setup.bureau(toBureau)?.name ?? toBureau,
                job: v.job.rawValue, berths: [v.fromBerth, v.toBerth].compactMap { $0 }.joined(separator: " → "),
                servedShip: [v.servedShipName, v.servedShipImo.map { "IMO \($0.rawValue)" }].compactMap { $0 }.joined(separator: " "),
                remarks: v.remarks ?? "", personsAboard: v.personsAboard.map(String.init) ?? "", cross: fromBureau != toBureau)
        }
        let labels = ["added": strings.changeAdded, "corrected": strings.changeCorrected, "withdrawn": strings.changeWithdrawn]
        let revisions = visible.map { r in
            RevisionView(href: "/ui/reports/\(mmsi)/\(date)?revision=\(r.revision)", revision: r.revision,
                         recordedAt: time.format(r.recordedAt), late: r.late,
                         changes: r.changes.map { .init(action: $0.action.rawValue, label: labels[$0.action.rawValue] ?? $0.action.rawValue,
                                                        movementId: $0.movementId) }, hasChanges: !r.changes.isEmpty)
        }
        var form: AcknowledgeForm?
        if let bureau = scope.acknowledgingBureau, let session = context.session,
           !acknowledgements.contains(where: { $0.bureau == bureau && $0.revision == chosen.revision }) {
            form = AcknowledgeForm(action: "/ui/reports/\(mmsi)/\(date)/acknowledge", csrf: session.csrfToken, revision: chosen.revision,
                                   maxRemark: config.daemon.limits.maxRemarkLength)
        }
        let page = ReportPage(
            vesselName: report.vesselName, date: date.description, mmsi: mmsi.rawValue, type: report.vesselType,
            operatorName: report.operator, homeBureau: setup.bureau(report.homeBureau)?.name ?? report.homeBureau,
            revision: chosen.revision, isLatest: chosen.revision == latest, late: chosen.late, sealed: chosen.sealed,
            withdrawn: chosen.withdrawn, noLongerShared: lastVisible.revision != latest && scope.acknowledgingBureau != nil,
            voyages: voyages, revisions: revisions,
            acknowledgements: acknowledgements.map {
                AcknowledgementView(bureau: setup.bureau($0.bureau)?.name ?? $0.bureau, revision: $0.revision,
                                    recordedAt: time.format($0.recordedAt), remark: $0.remark ?? "")
            },
            noAcknowledgements: acknowledgements.isEmpty, acknowledgeForm: form,
            ais: try aisChecks(date, mmsi, scope).first.flatMap { check in
                guard check.positions > 0 else { return nil }
                let area = { (id: String?) in id.map { setup.area($0)?.name ?? $0 } ?? strings.aisAtSea }
                return AISView(
                    coverage: "\(Int((check.coverageShare * 100).rounded())) %", confirmed: check.confirmed.count,
                    noCoverage: check.noCoverage.count,
                    discrepancies: check.discrepancies.map {
                        .init(kind: $0.kind.rawValue, label: Self.label($0.kind, strings), movementId: $0.voyage?.movementId ?? "",
                              from: time.format($0.span.start), to: time.format($0.span.end), fromArea: area($0.fromArea),
                              toArea: area($0.toArea), detail: $0.detail, sharingWrong: $0.sharingWrong)
                    },
                    hasDiscrepancies: !check.discrepancies.isEmpty)
            })
        let notice = request.uri.queryParameters.get("done") == "acknowledged" ? strings.acknowledgedNotice : nil
        return pages.page("report", page, section: .reports, request: request, context: context, zone: zoneName, notice: notice)
    }

    struct AcknowledgeFormData: Decodable {
        let csrf: String?
        let revision: String?
        let remark: String?
    }

    func acknowledge(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let form = try await Self.form(AcknowledgeFormData.self, request)
        try checkCSRF(form.csrf, context)
        guard let bureau = scope.acknowledgingBureau else { throw Problem(.forbidden, detail: "only bureaus acknowledge reports") }
        guard let revision = form.revision.flatMap({ Int($0) }) else { throw Problem(.badRequest, detail: "revision: missing or not a number") }
        let (mmsi, date) = try reportPath(context)
        let (reportId, visible, _) = try await operations.reports.visibleRevisions(mmsi: mmsi, date: date, context, scope)
        let remark = form.remark?.trimmingCharacters(in: .whitespacesAndNewlines)
        try operations.reports.acknowledgement(reportId: reportId, visible: visible, revision: revision,
                                               remark: remark?.isEmpty == false ? remark : nil, bureau: bureau, by: context.auditActor)
        context.logger.info("report acknowledged in the console", metadata: ["ACTOR": "\(context.session?.user.name ?? "")",
                                                                             "BUREAU": "\(bureau)", "REPORT": "\(reportId)"])
        return ConsoleResponse.redirect(to: "/ui/reports/\(mmsi)/\(date)?revision=\(revision)&done=acknowledged")
    }

    func reportPath(_ context: AppRequestContext) throws -> (MMSI, LocalDate) {
        guard let mmsi = MMSI(try context.parameters.require("mmsi")) else { throw Problem(.badRequest, detail: "mmsi: not an MMSI") }
        guard let date = LocalDate(try context.parameters.require("date")) else {
            throw Problem(.badRequest, detail: "date: not a date YYYY-MM-DD")
        }
        return (mmsi, date)
    }

    var zoneName: String { configuration.current.timeZone.identifier }
}

