import Foundation
import PortDailyTestSupport
import Testing

@Suite("portdaily tokens: expiry and rotation from the command line")
struct TokenCommandTests {
    /// An ISO 8601 time as `tokens list` writes it.
    static func date(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    @Test("issue: the configured year by default, --expires-in a duration or never; rotate: a successor, the old one ending after the grace")
    func issueAndRotate() throws {
        let w = try Workspace()
        let started = Date()
        #expect(try w.portdaily(["tokens", "issue", "--role", "admin", "--name", "default"]).status == 0)
        let ninety = try w.portdaily(["tokens", "issue", "--role", "operator", "--operator", "op1", "--expires-in", "90d"])
        #expect(ninety.status == 0 && ninety.text.contains("expiring "), "\(ninety.text)")
        let never = try w.portdaily(["tokens", "issue", "--role", "admin", "--name", "break-glass", "--expires-in", "never"])
        #expect(never.status == 0 && never.text.contains("never expiring"), "\(never.text)")
        let bad = try w.portdaily(["tokens", "issue", "--role", "admin", "--expires-in", "soon"])
        #expect(bad.status != 0 && bad.stderr.contains("--expires-in"), "\(bad.stderr)")

        var listed = try w.portdaily(["tokens", "list"]).array()
        #expect(listed.count == 3)
        let day = 86_400.0
        let expiries = listed.map { Self.date($0["expiresAt"]).map { $0.timeIntervalSince(started) } }
        #expect(abs((expiries[0] ?? 0) - 365 * day) < 120, "\(expiries)")
        #expect(abs((expiries[1] ?? 0) - 90 * day) < 120, "\(expiries)")
        #expect(listed[2]["expiresAt"] == nil || listed[2]["expiresAt"] is NSNull)

        let rotated = try w.portdaily(["tokens", "rotate", "2", "--grace", "2d"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let secret = rotated.text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(secret.hasPrefix("pd_"))
        listed = try w.portdaily(["tokens", "list"]).array()
        #expect(listed.count == 4)
        #expect(listed[3]["operator"] as? String == "op1" && listed[3]["replaces"] as? Int == 2)
        #expect(abs((Self.date(listed[1]["expiresAt"])?.timeIntervalSince(started) ?? 0) - 2 * day) < 120, "\(listed[1])")
        #expect(!(try w.portdaily(["tokens", "list"]).text.contains("pd_")), "listings never show secrets")
        #expect(try w.portdaily(["tokens", "revoke", "4"]).status == 0)
        let again = try w.portdaily(["tokens", "rotate", "4"])
        #expect(again.status == 1 && again.stderr.contains("no token 4 in force"), "\(again.stderr)")
    }
}
