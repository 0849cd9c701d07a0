import Foundation
package import Hummingbird
import Logging
import PortDailyConfig
package import PortDailyCore
import PortDailyLogging
import PortDailyStore

/// `/v1/voyages`: submissions (JSON, NDJSON, CSV), listing, cancellation.
package struct VoyageRoutes: Sendable {
    let store: PortDailyStore
    let configuration: LiveConfiguration
    let clock: any WallClock
    let availability: StoreAvailability
    let counters = IngestCounters()
    let logBudgets: IngestLogBudgets

    func addRoutes(to routes: ScopedRoutes<RouterGroup<AppRequestContext>>) {
        routes.post("voyages", .submitVoyages) { request, context, scope in try await submit(request, context, scope) }
        routes.get("voyages", .listVoyages) { request, _, scope in try list(request, scope) }
        routes.delete("voyages/{movementId}", .cancelVoyages) { request, context, scope in
            try await cancel(request, context, scope)
        }
    }

    func submit(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let format = try SubmissionFormat(request.headers[.contentType])
        let body = try await request.collectBody(upTo: configuration.current.daemon.limits.maxBodyBytes)
        let document = try await submission(body, format: format, atomic: try request.flag("atomic"), scope: scope, context: context)
        return Responses.json(bytes: document.json, status: document.rejected > 0 || !document.committed ? .unprocessableContent : .ok)
    }

    /// Validates and stores a submission: the API's and the console's upload alike, so both
    /// answer the same counts and the same refused lines.
    package func submission(_ body: ByteBuffer, format: SubmissionFormat, atomic: Bool, scope: Scope,
                            context: AppRequestContext) async throws -> SubmissionResult {
        let config = configuration.current
        let validator = VoyageValidator(
            setup: config.setup, register: try context.storeVersions.map(store.register(at:)) ?? store.register(), now: clock.now,
            earliestDeparture: config.ingest.earliestDepartureInstant,
            maxFutureMilliseconds: config.ingest.maxFutureMilliseconds, submitter: scope.submitter)
        var importer = VoyageImporter(
            store: store, rules: config.storeRules, validator: validator,
            format: format.recordFormat ?? .ndjson, batchSize: .max, allOrNothing: atomic, collectOutcomes: true)
        importer.actor = context.auditActor
        let summary: ImportSummary
        do {
            if format == .json {
                let elements = try FlatJSON.parseDocument(body.readableBytesView)
                try importer.add(elements.enumerated().map { index, element in
                    element.map { RawRecord(line: index + 1, fields: $0) }.mapError { RecordIssue(line: index + 1, $0) }
                })
            } else {
                try importer.feed(body.readableBytesView)
            }
            summary = try await importer.finishInGroup()
        } catch let issue as FieldIssue {
            throw Problem(.badRequest, detail: "the body is not valid JSON: \(issue.reason)")
        }
        // A store that cannot write is answered 503 by ProblemMiddleware, for every write alike.
        if summary.committed { availability.succeeded(logger: context.logger) }
        IngestLog(logger: context.logger, counters: counters, budgets: logBudgets).record(summary, importer: importer, actor: scope.actorLabel)
        return SubmissionResult(summary: summary, outcomes: importer.outcomes, refused: importer.refused)
    }

    func list(_ request: Request, _ scope: Scope) throws -> Response {
        let date = try request.query("date", "a date YYYY-MM-DD") { LocalDate($0) }
        let operatorID = scope.operatorFilter(requested: request.uri.queryParameters.get("operator"))
        let voyages = try store.voyages(on: date, operator: operatorID).map { VoyageListing(voyage: $0.voyage, cancelled: $0.cancelled) }
        return try Responses.json(voyages, request: request)
    }

    func cancel(_ request: Request, _ context: AppRequestContext, _ scope: Scope) async throws -> Response {
        let movementId = try context.parameters.require("movementId")
        let operatorID: String
        if let scoped = scope.operatorFilter(requested: request.uri.queryParameters.get("operator")) {
            operatorID = scoped
        } else {
            // An admin naming no operator: the one operator that used the movement id.
            let owners = try store.operators(ofMovement: movementId)
            guard let only = owners.first else { throw Problem.notFound("voyage \(movementId)") }
            guard owners.count == 1 else {
                throw Problem(.conflict, detail: "operators \(owners.joined(separator: ", ")) each have a voyage \(movementId): add ?operator=")
            }
            operatorID = only
        }
        let body = try await request.collectBody(upTo: APILimits.smallBodyBytes)
        let reason: String?
        if body.readableBytes > 0 {
            do { reason = try JSONDecoder().decode(CancelRequest.self, from: Data(body.readableBytesView)).reason } catch {
                throw Problem(.badRequest, detail: "the body must be {\"reason\": \"…\"}")
            }
        } else {
            reason = request.uri.queryParameters.get("reason")
        }
        guard let reason, !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw Problem(.badRequest, detail: "reason: missing (a JSON body {\"reason\": \"…\"} or ?reason=)")
        }
        try cancellation(VoyageKey(operator: operatorID, movementId: movementId), reason: reason, context: context)
        return try Responses.json(["cancelled": movementId], request: request)
    }

    /// Cancels a voyage (the API's and the console's cancel alike): 404 when there is none, 409
    /// when it was cancelled already.
    package func cancellation(_ key: VoyageKey, reason: String, context: AppRequestContext) throws {
        do {
            let revisions = try store.cancel(key, reason: reason, rules: configuration.current.storeRules, now: clock.now,
                                             by: context.auditActor)
            IngestLog(logger: context.logger, counters: counters, budgets: logBudgets).revised(revisions, operatorID: key.operator)
        } catch StoreError.voyageNotFound {
            throw Problem.notFound("voyage \(key.movementId)")
        } catch StoreError.voyageAlreadyCancelled {
            throw Problem(.conflict, detail: "voyage \(key.movementId) is already cancelled")
        }
    }
}

/// The content types a submission may have.
package enum SubmissionFormat: Equatable {
    case json, ndjson, csv

    /// The media type names, in lowercase, by format.
    private static let names: [(String, SubmissionFormat)] = [
        ("application/json", .json), ("application/x-ndjson", .ndjson), ("application/ndjson", .ndjson),
        ("application/jsonl", .ndjson), ("text/csv", .csv),
    ]

    /// From the media type of a `Content-Type` (its parameters, such as `charset`, ignored), in any case.
    package init(_ contentType: String?) throws {
        let header = contentType ?? ""
        let type = header[..<(header.utf8.firstIndex(of: UInt8(ascii: ";")) ?? header.endIndex)].trimmingOWS
        guard let known = Self.names.first(where: { type.equalsIgnoringASCIICase($0.0) }) else {
            throw Problem(.unsupportedMediaType,
                          detail: "Content-Type must be application/json, application/x-ndjson or text/csv, not '\(type.lowercased())'")
        }
        self = known.1
    }

    var recordFormat: RecordFormat? {
        switch self {
        case .json: return nil
        case .ndjson: return .ndjson
        case .csv: return .csv
        }
    }
}

struct CancelRequest: Decodable { let reason: String }

struct VoyageListing: Encodable {
    let voyage: Voyage
    let cancelled: Bool

    func encode(to encoder: any Encoder) throws {
        try voyage.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(cancelled, forKey: .cancelled)
    }

    enum Keys: String, CodingKey { case cancelled }
}

/// The answer to a submission: counts and one entry per record.
package struct SubmissionResult: Sendable {
    package let accepted, duplicates, corrected, rejected, refused: Int
    package let committed: Bool
    package let records: [Entry]

    package struct Entry: Sendable {
        package let line: Int
        package let result: String
        package let movementId: String?
        package let field: String?
        package let reason: String?
    }

    /// As JSON, keys sorted (the API's JSON style), absent fields left out. Written by hand: one
    /// is made for every submission, and `JSONEncoder` cost as much as the rest of the answer.
    var json: [UInt8] {
        var out = JSONWriter(capacity: 128 + records.count * 64)
        out.beginObject()
        out.field("accepted", accepted)
        out.key("committed")
        out.bool(committed)
        out.field("corrected", corrected)
        out.field("duplicates", duplicates)
        out.key("records")
        out.beginArray()
        for record in records {
            out.beginObject()
            out.field("field", record.field)
            out.field("line", record.line)
            out.field("movementId", record.movementId)
            out.field("reason", record.reason)
            out.field("result", record.result)
            out.endObject()
        }
        out.endArray()
        out.field("refused", refused)
        out.field("rejected", rejected)
        out.endObject()
        return out.bytes
    }

    init(summary: ImportSummary, outcomes: [RecordOutcome], refused: Int) {
        accepted = summary.accepted
        duplicates = summary.duplicates
        corrected = summary.corrected
        rejected = summary.rejected
        self.refused = refused
        committed = summary.committed
        var entries = summary.rejections.map {
            Entry(line: $0.line, result: "rejected", movementId: nil, field: $0.field, reason: $0.reason)
        }
        for outcome in outcomes {
            let result: String
            switch outcome.outcome {
            case .accepted: result = "accepted"
            case .duplicate: result = "duplicate"
            case .corrected: result = "corrected"
            case .rejected: continue
            }
            entries.append(Entry(line: outcome.line, result: result, movementId: outcome.voyage.movementId, field: nil, reason: nil))
        }
        records = entries.sorted { $0.line < $1.line }
    }
}

