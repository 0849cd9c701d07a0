import Foundation
import Hummingbird
import MultipartKit
import PortDailyConfig
import PortDailyCore
import PortDailyHTTP
import PortDailyStore

/// A dispatcher's upload: a CSV or NDJSON file through the same submission as `POST /v1/voyages`
/// (the same validation, idempotency, counts and refused lines), and today's voyages, each with
/// a cancel form.
extension Console {
    struct RefusedLine { let line: Int; let field: String; let reason: String }

    struct UploadResult {
        let fileName: String
        let accepted, duplicates, corrected, rejected: Int
        let committed: Bool
        let refused: [RefusedLine]
        let hasRefused: Bool
    }

    struct TodaysVoyage {
        let movementId, operatorID, vessel, departed, fromArea, toArea, job, csrf: String
        let cancelled: Bool
    }

    struct UploadPageModel {
        let csrf: String
        let today: String
        let result: UploadResult?
        let problem: String?
        let voyages: [TodaysVoyage]
        let noVoyages: Bool
    }

    func uploadPage(_ request: Request, _ context: AppRequestContext, _ scope: Scope) throws -> Response {
        let notice = request.uri.queryParameters.get("done") == "cancelled" ? context.language.strings.cancelledNotice : nil
        return try uploadPage(request, context, scope, result: nil, problem: nil, notice: notice, status: .ok)
    }

    func uploadPage(_ request: Request, _ context: AppRequestContext, _ scope: Scope, result: UploadResult?, problem: String?,
                    notice: String?, status: HTTPResponse.Status) throws -> Response {
        let config = configuration.current
        let today = config.calendar.localDate(of: clock.now)
        let time = LocalTime(config.timeZone)
        let csrf = context.session?.csrfToken ?? ""
        let register = try store.register()
        let voyages = try store.voyages(on: today, operator: scope.operatorFilter(requested: nil)).map { entry in
            let v = entry.voyage
            return TodaysVoyage(movementId: v.movementId, operatorID: v.operator,
                                vessel: "\(register[v.mmsi]?.name ?? "") \(v.mmsi.rawValue)", departed: time.format(v.departedAt),
                                fromArea: config.setup.area(v.fromArea)?.name ?? v.fromArea,
                                toArea: config.setup.area(v.toArea)?.name ?? v.toArea, job: v.job.rawValue, csrf: csrf,
                                cancelled: entry.cancelled)
        }
        let page = UploadPageModel(csrf: csrf, today: today.description, result: result, problem: problem, voyages: voyages,
                                   noVoyages: voyages.isEmpty)
        return pages.page("upload", page, section: .upload, request: request, context: context, zone: zoneName, notice: notice,
                          status: status)
    }

    /// The parts of a `multipart/form-data` body, by field name (MultipartKit's parser; its
    /// Codable decoder cannot hand out a file part with its headers).
    struct UploadForm {
        struct Part {
            var headers: [(name: String, value: String)] = []
            var body = ByteBuffer()
            func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
            var fieldName: String? { header("Content-Disposition").flatMap { Console.parameter("name", of: $0) } }
        }

        let parts: [Part]

        init(_ body: ByteBuffer, boundary: String) throws {
            let parser = MultipartParser(boundary: boundary)
            var parts: [Part] = []
            var current = Part()
            parser.onHeader = { name, value in current.headers.append((name, value)) }
            parser.onBody = { chunk in current.body.writeBuffer(&chunk) }
            parser.onPartComplete = {
                parts.append(current)
                current = Part()
            }
            try parser.execute(body)
            self.parts = parts
        }

        func part(_ name: String) -> Part? { parts.first { $0.fieldName == name } }
        var csrf: String? { part("csrf").map { String(buffer: $0.body) } }
        var file: Part? { part("file") }
    }

    func upload(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let contentType = request.headers[.contentType] ?? ""
        guard contentType.lowercased().hasPrefix("multipart/form-data"), let boundary = Self.parameter("boundary", of: contentType) else {
            throw Problem(.unsupportedMediaType, detail: "an upload is sent as multipart/form-data")
        }
        let body = try await request.collectBody(upTo: configuration.current.daemon.limits.maxBodyBytes + 64 * 1024)
        let form: UploadForm
        do { form = try UploadForm(body, boundary: boundary) } catch {
            throw Problem(.badRequest, detail: "the upload form could not be read")
        }
        try checkCSRF(form.csrf, context)
        guard let part = form.file, part.body.readableBytes > 0 else {
            return try uploadPage(request, context, scope, result: nil, problem: "file: no file was chosen, or it is empty", notice: nil,
                                  status: .badRequest)
        }
        let fileName = part.header("Content-Disposition").flatMap { Self.parameter("filename", of: $0) } ?? ""
        let format = Self.format(fileName: fileName, contentType: part.header("Content-Type"), body: part.body)
        let outcome = try await operations.voyages.submission(part.body, format: format, atomic: false, scope: scope, context: context)
        let refused = outcome.records.filter { $0.result == "rejected" }.map {
            RefusedLine(line: $0.line, field: $0.field ?? "", reason: $0.reason ?? "")
        }
        let result = UploadResult(
            fileName: fileName, accepted: outcome.accepted, duplicates: outcome.duplicates, corrected: outcome.corrected,
            rejected: outcome.rejected, committed: outcome.committed,
            refused: refused, hasRefused: !refused.isEmpty)
        // 200 even with refused lines: the page is the answer (a 422 would show in the browser's
        // console as a failed load), and the counts and the refused lines are in it.
        return try uploadPage(request, context, scope, result: result, problem: nil, notice: nil, status: .ok)
    }

    /// CSV unless the file says NDJSON: by its name, its content type, or a first `{`.
    static func format(fileName: String, contentType: String?, body: ByteBuffer) -> SubmissionFormat {
        let name = fileName.lowercased()
        if name.hasSuffix(".csv") { return .csv }
        if name.hasSuffix(".ndjson") || name.hasSuffix(".jsonl") || name.hasSuffix(".json") { return .ndjson }
        if let type = contentType?.lowercased(), type.contains("ndjson") || type.contains("jsonl") { return .ndjson }
        let first = body.readableBytesView.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        return first == UInt8(ascii: "{") ? .ndjson : .csv
    }

    /// A parameter of a header value (`boundary=…`, `filename="…"`), unquoted.
    static func parameter(_ name: String, of header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            // Only the file's own name, never a path the browser sent.
            if name == "filename" { value = String(value.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? "") }
            return value
        }
        return nil
    }

    /// An empty CSV with the header the import reads, and a byte order mark for spreadsheets.
    func uploadTemplate() -> Response {
        let body = Array(CSVWriter.byteOrderMark.utf8) + Array(CSVWriter.row(Voyage.fieldNames).utf8)
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"voyages-template.csv\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    struct CancelForm: Decodable {
        let csrf: String?
        let `operator`: String?
        let movementId: String?
        let reason: String?
    }

    func cancel(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let form = try await Self.form(CancelForm.self, request)
        try checkCSRF(form.csrf, context)
        guard let movementId = form.movementId, !movementId.isEmpty else { throw Problem(.badRequest, detail: "movementId: missing") }
        guard let operatorID = scope.operatorFilter(requested: form.operator.flatMap { $0.isEmpty ? nil : $0 }) else {
            throw Problem(.badRequest, detail: "operator: missing")
        }
        guard let reason = form.reason?.trimmingCharacters(in: .whitespacesAndNewlines), !reason.isEmpty else {
            throw Problem(.badRequest, detail: "reason: a cancellation needs a reason")
        }
        try operations.voyages.cancellation(VoyageKey(operator: operatorID, movementId: movementId), reason: reason, context: context)
        return ConsoleResponse.redirect(to: "/ui/upload?done=cancelled")
    }
}
