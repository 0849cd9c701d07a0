import Foundation
import GRDB
import PortDailyCore
import PortDailyStore
import PortDailyTestSupport
import Testing

/// The console's users and sessions in the store.
@Suite("Console users and sessions", .timeLimit(.minutes(2)))
struct ConsoleUserTests {
    static let now = Fixture.instant("2026-03-02T12:00:00+08:00")
    static let password = "a long enough password"

    @Test("names and passwords are checked; names are unique whatever their case")
    func adding() throws {
        let t = try TestStore()
        _ = try t.store.addUser(name: "Zhang.Wei", caller: .bureau("beijiang-msa"), password: Self.password, cost: 4, now: Self.now)
        #expect(throws: ConsoleUserError.nameTaken("zhang.wei")) {
            try t.store.addUser(name: "zhang.wei", caller: .admin, password: Self.password, cost: 4, now: Self.now)
        }
        for (name, password) in [("short", "too short"), ("", Self.password), ("two words", Self.password), ("tab\there", Self.password),
                                 ("long", String(repeating: "密", count: 25))] {
            #expect(throws: ConsoleUserError.self, "\(name)") {
                try t.store.addUser(name: name, caller: .admin, password: password, cost: 4, now: Self.now)
            }
        }
        #expect(try t.store.users().map(\.name) == ["Zhang.Wei"])
    }

    @Test("a password is checked against its bcrypt hash; wrong, unknown and disabled users get nothing")
    func verifying() throws {
        let t = try TestStore()
        _ = try t.store.addUser(name: "boss", caller: .admin, password: Self.password, cost: 4, now: Self.now)
        #expect(try t.store.verifyPassword(name: "boss", password: Self.password)?.caller == .admin)
        #expect(try t.store.verifyPassword(name: "BOSS", password: Self.password)?.name == "boss")
        #expect(try t.store.verifyPassword(name: "boss", password: Self.password + "x") == nil)
        #expect(try t.store.verifyPassword(name: "nobody", password: Self.password) == nil)
        let stored = try DatabaseQueue(path: t.path).read { db in try String.fetchOne(db, sql: "SELECT passwordHash FROM consoleUser") }
        #expect(stored?.hasPrefix("$2") == true && stored?.contains(Self.password) == false)
        #expect(try t.store.disableUser(name: "boss", now: Self.now))
        #expect(try t.store.verifyPassword(name: "boss", password: Self.password) == nil)
    }

    @Test("session ids are random, kept only as hashes, expire by idle time and lifetime, and are pruned")
    func sessions() throws {
        let t = try TestStore()
        let user = try t.store.addUser(name: "boss", caller: .admin, password: Self.password, cost: 4, now: Self.now)
        let timeouts = SessionTimeouts(idleMilliseconds: 30 * 60_000, lifetimeMilliseconds: 12 * 3_600_000)
        let (a, first) = try t.store.startSession(for: user, now: Self.now)
        let (b, _) = try t.store.startSession(for: user, now: Self.now)
        #expect(a != b && a.count >= 43 && first.csrfToken.count >= 43)
        let file = try Data(contentsOf: URL(fileURLWithPath: t.path))
            + ((try? Data(contentsOf: URL(fileURLWithPath: t.path + "-wal"))) ?? Data())
        #expect(file.range(of: Data(a.utf8)) == nil, "the session id itself is stored")
        #expect(try t.store.session(id: a, timeouts: timeouts, now: Self.now.adding(milliseconds: 29 * 60_000))?.user.name == "boss")
        #expect(try t.store.session(id: "not-a-session", timeouts: timeouts, now: Self.now) == nil)
        // b was not used: 31 minutes later it is gone, while a (used at 29) lives on.
        let later = Self.now.adding(milliseconds: 31 * 60_000)
        #expect(try t.store.session(id: b, timeouts: timeouts, now: later) == nil)
        #expect(try t.store.session(id: a, timeouts: timeouts, now: later) != nil)
        #expect(try t.store.openSessions(timeouts: timeouts, now: later) == [user.id: 1])
        #expect(try t.store.pruneSessions(timeouts: timeouts, now: Self.now.adding(milliseconds: 13 * 3_600_000)) == 1)
    }
}
