import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

/// Tokens expire, are rotated with a grace period for their holders, and keep their last use;
/// each at times the test sets.
@Suite("Token expiry, rotation and last use")
struct TokenExpiryTests {
    static let day = Instant.millisecondsPerDay
    static let now = TestStore.receipt

    static func at(_ days: Int64, plus milliseconds: Int64 = 0) -> Instant {
        now.adding(milliseconds: days * day + milliseconds)
    }

    static func check(_ t: TestStore, _ secret: String, at instant: Instant) throws -> TokenCheck {
        try t.store.checkToken(secret, at: t.store.versions(), now: instant)
    }

    @Test("a token works until its expiry and not from that instant on; one issued without an expiry works on")
    func expiry() throws {
        let t = try TestStore()
        let (token, secret) = try t.store.issueToken(for: .operator("op1"), name: "a", expiresAt: Self.at(90), now: Self.now)
        let (forever, foreverSecret) = try t.store.issueToken(for: .admin, name: "b", now: Self.now)
        #expect(try Self.check(t, secret, at: Self.at(90, plus: -1)) == .valid(.operator("op1"), tokenID: token.id, name: "a"))
        #expect(try Self.check(t, secret, at: Self.at(90)) == .expired(at: Self.at(90)))
        #expect(try t.store.caller(forSecret: secret, now: Self.at(91)) == nil)
        #expect(try Self.check(t, foreverSecret, at: Self.at(10_000)) == .valid(.admin, tokenID: forever.id, name: "b"))
        #expect(try Self.check(t, secret + "x", at: Self.now) == .unknown)
        let listed = try t.store.tokens()
        #expect(listed.map(\.expiresAt) == [Self.at(90), nil])
        // Revoked before its expiry: unknown, as any revoked token (nothing said of its expiry).
        #expect(try t.store.revokeToken(id: token.id, now: Self.now))
        #expect(try Self.check(t, secret, at: Self.at(1)) == .unknown)
    }

    @Test("rotation: the successor keeps role, scope and name; the old token works through the grace period, then expires")
    func rotation() throws {
        let t = try TestStore()
        let (old, oldSecret) = try t.store.issueToken(for: .bureau("dagang-msa"), name: "office", expiresAt: Self.at(365), now: Self.now)
        let graceEnd = Self.at(7)
        let (successor, secret) = try #require(try t.store.rotateToken(id: old.id, graceUntil: graceEnd, expiresAt: Self.at(365),
                                                                      now: Self.now))
        #expect(successor.role == "bureau" && successor.bureau == "dagang-msa" && successor.name == "office")
        #expect(successor.replaces == old.id && successor.id != old.id && secret != oldSecret)
        #expect(try Self.check(t, oldSecret, at: Self.at(7, plus: -1)) == .valid(.bureau("dagang-msa"), tokenID: old.id, name: "office"))
        #expect(try Self.check(t, oldSecret, at: graceEnd) == .expired(at: graceEnd))
        #expect(try Self.check(t, secret, at: graceEnd) == .valid(.bureau("dagang-msa"), tokenID: successor.id, name: "office"))

        // A token that ends before the grace period would keeps its own end.
        let (short, _) = try t.store.issueToken(for: .operator("op1"), name: "short", expiresAt: Self.at(2), now: Self.now)
        let (neverEnding, _) = try #require(try t.store.rotateToken(id: short.id, graceUntil: graceEnd, expiresAt: nil, now: Self.now))
        #expect(try t.store.tokens().first { $0.id == short.id }?.expiresAt == Self.at(2))
        #expect(neverEnding.expiresAt == nil)

        // Only a token in force is rotated: not an expired, revoked or unknown one.
        #expect(try t.store.rotateToken(id: old.id, graceUntil: Self.at(30), expiresAt: nil, now: graceEnd) == nil)
        #expect(try t.store.revokeToken(id: neverEnding.id, now: Self.now))
        #expect(try t.store.rotateToken(id: neverEnding.id, graceUntil: graceEnd, expiresAt: nil, now: Self.now) == nil)
        #expect(try t.store.rotateToken(id: 999, graceUntil: graceEnd, expiresAt: nil, now: Self.now) == nil)
        // The old token's end was not moved by the refused rotation.
        #expect(try t.store.tokens().first { $0.id == old.id }?.expiresAt == graceEnd)
    }

    @Test("last use: due at the first use and then once a minute; a late record never moves it back; listed")
    func lastUse() throws {
        let t = try TestStore()
        let (token, _) = try t.store.issueToken(for: .operator("op1"), name: "a", expiresAt: Self.at(30), now: Self.now)
        #expect(try t.store.tokens().first?.lastUsedAt == nil)
        #expect(t.store.tokenUseIsDue(id: token.id, now: Self.now))
        try t.store.recordTokenUse(id: token.id, now: Self.now)
        #expect(!t.store.tokenUseIsDue(id: token.id, now: Self.now))
        #expect(!t.store.tokenUseIsDue(id: token.id, now: Self.now.adding(milliseconds: 59_999)))
        #expect(t.store.tokenUseIsDue(id: token.id, now: Self.now.adding(milliseconds: 60_000)))
        try t.store.recordTokenUse(id: token.id, now: Self.now.adding(milliseconds: 60_000))
        try t.store.recordTokenUse(id: token.id, now: Self.now)
        #expect(try t.store.tokens().first?.lastUsedAt == Self.now.adding(milliseconds: 60_000))
        // Recording a use changes no token: the daemons' token caches stay as they are.
        let versions = try t.store.versions()
        try t.store.recordTokenUse(id: token.id, now: Self.at(1))
        #expect(try t.store.versions() == versions)
    }

    @Test("tokens expiring within a window: those in force only, not the expired, revoked or never-expiring")
    func expiring() throws {
        let t = try TestStore()
        let (soon, _) = try t.store.issueToken(for: .operator("op1"), name: "soon", expiresAt: Self.at(10), now: Self.now)
        _ = try t.store.issueToken(for: .operator("op1"), name: "later", expiresAt: Self.at(15), now: Self.now)
        _ = try t.store.issueToken(for: .operator("op1"), name: "never", now: Self.now)
        let (revoked, _) = try t.store.issueToken(for: .operator("op1"), name: "revoked", expiresAt: Self.at(3), now: Self.now)
        _ = try t.store.issueToken(for: .operator("op1"), name: "gone", expiresAt: Self.at(-1), now: Self.at(-30))
        #expect(try t.store.revokeToken(id: revoked.id, now: Self.now))
        let tokens = try t.store.tokens()
        #expect(tokens.filter { $0.expires(within: 14 * Self.day, of: Self.now) }.map(\.id) == [soon.id])
        #expect(tokens.filter { $0.expires(within: 14 * Self.day, of: Self.at(10)) }.map(\.name) == ["later"])
        #expect(tokens.filter(\.neverExpires).map(\.name) == ["never"])
    }
}
