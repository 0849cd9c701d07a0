package import Hummingbird
import Yams

/// The query parameters the OpenAPI document allows each operation, read from it once: a request
/// naming any other is refused with 400, so a misspelt `?dat=` or an unknown option is not
/// silently ignored and answered as if it had not been asked. (The contract test keeps the
/// router's routes and the document's the same; routes outside the document, the console's, are
/// not checked.)
package enum DocumentedParameters {
    /// By operation, spelled as ``key(_:_:)`` spells it.
    package static let query: [String: Set<String>] = {
        guard let document = try? Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any],
              let paths = document["paths"] as? [String: [String: Any]] else { return [:] }
        let components = (document["components"] as? [String: Any])?["parameters"] as? [String: [String: Any]] ?? [:]
        func resolve(_ parameter: Any) -> [String: Any]? {
            guard let parameter = parameter as? [String: Any] else { return nil }
            guard let reference = parameter["$ref"] as? String else { return parameter }
            return components[String(reference.split(separator: "/").last ?? "")]
        }
        var operations: [String: Set<String>] = [:]
        for (path, item) in paths {
            let shared = (item["parameters"] as? [Any] ?? []).compactMap(resolve)
            for (method, operation) in item where method != "parameters" {
                guard let operation = operation as? [String: Any] else { continue }
                let parameters = shared + (operation["parameters"] as? [Any] ?? []).compactMap(resolve)
                operations["\(method.uppercased()) \(path)"] = Set(parameters.filter { $0["in"] as? String == "query" }
                    .compactMap { $0["name"] as? String })
            }
        }
        return operations
    }()

    /// `GET /v1/daily-reports/{mmsi}/{date}`, from the router's spelling (`:mmsi` or `{mmsi}`).
    package static func key(_ method: HTTPRequest.Method, _ path: String) -> String {
        let parts = path.split(separator: "/").map { part in part.hasPrefix(":") ? "{\(part.dropFirst())}" : String(part) }
        return "\(method.rawValue) /\(parts.joined(separator: "/"))"
    }

    /// 400 naming the first query parameter of `request` that `allowed` lacks.
    static func refuseUndocumented(_ request: Request, allowed: Set<String>) throws {
        for (name, _) in request.uri.queryParameters where !allowed.contains(String(name)) {
            let known = allowed.isEmpty ? "this operation takes none" : "this operation takes \(allowed.sorted().joined(separator: ", "))"
            throw Problem(.badRequest, detail: "\(String(name).prefix(64)): not a parameter of this operation (\(known))")
        }
    }
}
