import Crypto
import Foundation
package import Hummingbird
import NIOCore
import PortDailyCore

/// Building responses: JSON and CSV documents with a strong ETag, and 304 on `If-None-Match`.
package enum Responses {
    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok, request: Request) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return tagged(try encoder.encode(value), contentType: "application/json", status: status, request: request)
    }

    /// A JSON answer to a write, already written: no ETag (it describes no resource to fetch again).
    static func json(bytes: [UInt8], status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func csv(header: [String], rows: [[String?]], byteOrderMark: Bool, request: Request) -> Response {
        csv(header: header, lines: rows.map(CSVWriter.row), byteOrderMark: byteOrderMark, request: request)
    }

    /// A CSV document from rows already written (each CRLF-terminated).
    package static func csv(header: [String], lines: [String], byteOrderMark: Bool, request: Request) -> Response {
        var body: [UInt8] = []
        body.reserveCapacity(lines.reduce(512) { $0 + $1.utf8.count })
        if byteOrderMark { body += CSVWriter.byteOrderMark.utf8 }
        body += CSVWriter.row(header).utf8
        for line in lines { body += line.utf8 }
        return tagged(body, contentType: "text/csv; charset=utf-8", status: .ok, request: request)
    }

    /// The body with an ETag: the hash of the body, or of `identity` when given (a much smaller
    /// text that determines the body; the content type is hashed with it).
    static func tagged(_ body: some DataProtocol, contentType: String, status: HTTPResponse.Status, request: Request,
                       identity: [UInt8]? = nil) -> Response {
        let hex = Array("0123456789abcdef".utf8)
        let hash = identity.map { SHA256.hash(data: Array(contentType.utf8) + [0] + $0) } ?? SHA256.hash(data: body)
        let digest = String(decoding: hash.prefix(16).flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0xF)]] }, as: UTF8.self)
        let etag = "\"\(digest)\""
        if status == .ok, let match = request.headers[.ifNoneMatch],
           match == "*" || match.split(separator: ",").contains(where: { $0.trimmingOWS == etag }) {
            return Response(status: .notModified, headers: [.eTag: etag])
        }
        return Response(status: status, headers: [.contentType: contentType, .eTag: etag],
                        body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Whether the client asked for CSV (`Accept: text/csv` or `?format=csv`).
    static func wantsCSV(_ request: Request) throws -> Bool {
        switch request.uri.queryParameters.get("format") {
        case "csv": return true
        case "json": return false
        case nil: return request.headers[.accept]?.contains("text/csv") == true
        case let other?: throw Problem(.badRequest, detail: "format: expected json or csv, got '\(other)'")
        }
    }
}

extension Request {
    /// The whole body, or 413 naming the limit: every route reads its body through here.
    /// (`collect(upTo:)` throws NIO's `NIOTooManyBytesError` past the limit, not an `HTTPError`.)
    package func collectBody(upTo limit: Int) async throws -> ByteBuffer {
        do { return try await body.collect(upTo: limit) } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, detail: "the body is larger than \(limit) bytes")
        }
    }

    /// A required query parameter parsed with `parse`, or a 400 naming it.
    package func query<T>(_ name: String, _ what: String, _ parse: (String) -> T?) throws -> T {
        guard let text = uri.queryParameters.get(name) else { throw Problem(.badRequest, detail: "\(name): missing (\(what))") }
        guard let value = parse(text) else { throw Problem(.badRequest, detail: "\(name): expected \(what), got '\(text)'") }
        return value
    }

    /// A `true`/`false` query flag (absent: false).
    package func flag(_ name: String) throws -> Bool {
        try optionalQuery(name, "true or false") { ["true": true, "false": false][$0] } ?? false
    }

    package func optionalQuery<T>(_ name: String, _ what: String, _ parse: (String) -> T?) throws -> T? {
        guard uri.queryParameters.get(name) != nil else { return nil }
        return try query(name, what, parse)
    }
}
