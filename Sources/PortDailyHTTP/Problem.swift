import Foundation
public import Hummingbird
public import PortDailyCore
import PortDailyStore
package import Logging

/// The one shape of every error body: RFC 9457 problem details, plus per-record errors where a
/// submission was refused. Never a stack trace or SQL text.
public struct Problem: Error, Encodable, Sendable {
    public let code: Int
    public let title: String
    public let detail: String?
    public let type: String
    public var errors: [RecordIssue]?
    /// Seconds, sent as `Retry-After` (503 while the store cannot write).
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, detail: String? = nil, errors: [RecordIssue]? = nil, retryAfter: Int? = nil) {
        self.code = status.code
        self.title = status.reasonPhrase
        self.detail = detail
        self.type = "about:blank"
        self.errors = errors
        self.retryAfter = retryAfter
    }

    enum CodingKeys: String, CodingKey { case type, title, code = "status", detail, errors }
}

extension Problem: HTTPResponseError {
    public var headers: HTTPFields {
        var fields: HTTPFields = [.contentType: "application/problem+json"]
        if let retryAfter { fields[.retryAfter] = String(retryAfter) }
        return fields
    }

    public var status: HTTPResponse.Status { HTTPResponse.Status(code: code) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data(#"{"status":500,"title":"Internal Server Error"}"#.utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error a route throws into a problem body: Hummingbird's own HTTP errors keep
/// their status; anything unexpected becomes a bare 500 (and is logged by the caller's logger).
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let availability: StoreAvailability

    public init(availability: StoreAvailability) { self.availability = availability }

    public func handle(_ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            throw Self.problem(for: error, availability: availability, logger: context.logger)
        }
    }

    /// The problem an error is answered with (the console renders the same as a page).
    package static func problem(for error: any Error, availability: StoreAvailability, logger: Logger) -> any Error {
        // Only SQLite's errors can say the store is damaged.
        if let damaged = availability.damageProblem(for: error, logger: logger) { return damaged }
        switch error {
        case let problem as Problem: return problem
        case let error as HTTPError: return Problem(error.status, detail: error.body)
        case let error as any HTTPResponseError: return Problem(error.status)
        case _ where PortDailyStore.isUnavailable(error):
            // Any write the store cannot take now (read-only, full, I/O error): nothing was stored.
            availability.failed(error, logger: logger)
            return StoreAvailability.unavailable
        default:
            logger.error("request failed", metadata: ["ERROR": "\(type(of: error))"])
            return Problem(.internalServerError, detail: "the request could not be completed")
        }
    }
}
