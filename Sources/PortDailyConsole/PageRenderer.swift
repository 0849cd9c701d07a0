import Foundation
import Hummingbird
import Mustache
import PortDailyCore
import PortDailyHTTP

/// Renders the console's pages: a template of ``ConsoleTemplates`` inside the layout, with the
/// strings of the page's language (`t`), the frame (`frame`) and the page's own values (`page`).
struct PageRenderer: Sendable {
    let library: MustacheLibrary

    init() {
        var library = MustacheLibrary()
        for (name, text) in ConsoleTemplates.all {
            // The templates are compiled into the binary and parsed by a test: a bad one is a
            // programming error, not an input error.
            do { try library.register(text, named: name) } catch { preconditionFailure("console template \(name): \(error)") }
        }
        self.library = library
    }

    /// Which part of the console a page belongs to, for the navigation's `aria-current`.
    enum Section { case reports, figures, upload, admin, none }

    struct Frame {
        let langTag: String
        let switchHref: String
        let zone: String
        let user: FrameUser?
        let onReports, onFigures, onUpload, onAdmin: Bool
        let canUpload, isAdmin: Bool
        let notice: String?
    }

    struct FrameUser {
        let name: String
        let scopeLabel: String
        let csrf: String
    }

    func page(_ template: String, _ page: Any, section: Section, request: Request, context: AppRequestContext,
              zone: String, notice: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let language = context.language
        let principal = context.principal
        let frame = Frame(
            langTag: language.tag, switchHref: Self.switchHref(request, to: language == .zh ? .en : .zh), zone: zone,
            user: context.session.map { FrameUser(name: $0.user.name, scopeLabel: Self.scopeLabel($0.user.caller), csrf: $0.csrfToken) },
            onReports: section == .reports, onFigures: section == .figures, onUpload: section == .upload, onAdmin: section == .admin,
            canUpload: ScopePolicy.permits(principal, .submitVoyages), isAdmin: ScopePolicy.permits(principal, .administer),
            notice: notice)
        let values: [String: Any] = ["t": Self.catalogue(language), "frame": Self.values(frame) ?? [:], "page": Self.values(page) ?? [:]]
        let html = library.render(values, withTemplate: template) ?? "<!DOCTYPE html><title>PortDaily</title><p>template \(template) missing</p>"
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// A page's values as dictionaries, arrays and scalars, read by reflection once per value.
    /// Mustache otherwise reflects a struct again for every name it looks up in it (and walks up
    /// to the page from each row): a day page of 1,000 reports took 0.8 s that way, and takes
    /// a few milliseconds as dictionaries. Nil optionals leave their key out (a false section).
    static func values(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text
        case let flag as Bool: return flag
        case let number as Int: return number
        case let number as Int64: return number
        case let number as Double: return number
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.flatMap { values($0.value) }
        case .collection, .set: return mirror.children.compactMap { values($0.value) }
        case .struct, .class:
            var dictionary: [String: Any] = [:]
            dictionary.reserveCapacity(Int(mirror.children.count))
            for child in mirror.children {
                if let label = child.label, let converted = values(child.value) { dictionary[label] = converted }
            }
            return dictionary
        default: return value
        }
    }

    /// Each language's strings as a dictionary, made once.
    static let catalogues: [Language: [String: String]] = Dictionary(uniqueKeysWithValues: Language.allCases.map {
        ($0, (values($0.strings) as? [String: Any] ?? [:]).compactMapValues { $0 as? String })
    })

    static func catalogue(_ language: Language) -> [String: String] { catalogues[language] ?? [:] }

    struct ErrorPage {
        let status: Int
        let title: String
        let detail: String
    }

    func error(status: HTTPResponse.Status, detail: String, request: Request, context: AppRequestContext, language: Language,
               zone: String) -> Response {
        var context = context
        context.language = language
        let title = status == .notFound ? language.strings.notFound : status.reasonPhrase
        return page("error", ErrorPage(status: status.code, title: title, detail: detail), section: .none, request: request,
                    context: context, zone: zone, status: status)
    }

    /// The same page in the other language: its path and query with `lang` set.
    static func switchHref(_ request: Request, to language: Language) -> String {
        var items = request.uri.queryParameters.filter { $0.key != "lang" }.map { "\($0.key)=\(ConsoleMiddleware.queryEscaped(String($0.value)))" }
        items.append("lang=\(language.rawValue)")
        return request.uri.path + "?" + items.joined(separator: "&")
    }

    static func scopeLabel(_ caller: Caller) -> String {
        switch caller {
        case .operator(let id): return "operator \(id)"
        case .bureau(let id): return "bureau \(id)"
        case .admin: return "admin"
        }
    }
}
