import Foundation
import PortDailyAIS
import PortDailyCore
import PortDailySimulation
import PortDailyTestSupport
import Testing

@Suite("AIS encoding: messages written and read back")
struct EncoderTests {
    /// A random message of a decoded type, with every field it can carry.
    static func randomMessage(_ random: inout SeededGenerator) -> AISMessage {
        let types = [1, 2, 3, 4, 5, 18, 19, 24]
        let type = types[Int(random.next() % UInt64(types.count))]
        var message = AISMessage(type: type, mmsi: Int.random(in: 200_000_000...775_999_999, using: &random))
        func text(_ most: Int) -> String {
            let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -./")
            let word = String((0..<Int.random(in: 1...most, using: &random)).map { _ in letters.randomElement(using: &random)! })
            let trimmed = word.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? "X" : trimmed
        }
        func maybe<T>(_ value: T) -> T? { Bool.random(using: &random) || Bool.random(using: &random) ? value : nil }
        let position = maybe((Double(Int.random(in: -54_000_000...54_000_000, using: &random)) / 600_000,
                              Double(Int.random(in: -108_000_000...108_000_000, using: &random)) / 600_000))
        let dimensions = maybe(AISMessage.Dimensions(bow: Int.random(in: 1...511, using: &random), stern: Int.random(in: 0...511, using: &random),
                                                     port: Int.random(in: 0...63, using: &random), starboard: Int.random(in: 0...63, using: &random)))
        switch type {
        case 1, 2, 3, 18, 19:
            message.lat = position?.0
            message.lon = position?.1
            message.sog = maybe(Double(Int.random(in: 0...1022, using: &random)) / 10)
            message.cog = maybe(Double(Int.random(in: 0...3599, using: &random)) / 10)
            message.heading = maybe(Int.random(in: 0...359, using: &random))
            if type <= 3 { message.navStatus = Int.random(in: 0...15, using: &random) }
            if type == 19 {
                message.name = maybe(text(20))
                message.shipType = Int.random(in: 0...99, using: &random)
                message.dimensions = dimensions
            }
        case 4:
            message.lat = position?.0
            message.lon = position?.1
            message.stationTime = maybe(Instant(millisecondsSinceEpoch: Int64.random(in: 0...4_000_000_000, using: &random) * 1000))
        case 5:
            message.imo = maybe(Int.random(in: 1_000_000...9_999_999, using: &random))
            message.callSign = maybe(text(7))
            message.name = maybe(text(20))
            message.shipType = Int.random(in: 0...99, using: &random)
            message.dimensions = dimensions
            message.destination = maybe(text(20))
        default:
            message.partNumber = Int.random(in: 0...1, using: &random)
            if message.partNumber == 0 {
                message.name = maybe(text(20))
            } else {
                message.shipType = Int.random(in: 0...99, using: &random)
                message.callSign = maybe(text(7))
                if Int.random(in: 0..<4, using: &random) == 0 {
                    message.mmsi = 980_000_000 + Int.random(in: 0...9_999_999, using: &random)
                    message.mothershipMMSI = Int.random(in: 200_000_000...775_999_999, using: &random)
                } else {
                    message.dimensions = dimensions
                }
            }
        }
        return message
    }

    @Test("every message this encoder writes decodes back to itself (seeded; 2,000 messages, tag block times, VDO, several fragments)")
    func roundTrip() throws {
        let seed = TestSeed.make()
        var random = SeededGenerator(seed: seed)
        var lines: [String] = []
        var expected: [AISMessage] = []
        for index in 0..<2_000 {
            var message = Self.randomMessage(&random)
            message.ownVessel = index % 7 == 0
            message.channel = index % 2 == 0 ? UInt8(ascii: "A") : UInt8(ascii: "B")
            message.receivedAt = index % 3 == 0 ? Instant(millisecondsSinceEpoch: Int64(1_700_000_000 + index) * 1000) : nil
            message.source = index % 3 == 0 ? "rx\(index % 5)" : nil
            lines += AISEncoder.sentences(message, talker: ["AI", "AB", "BS"][index % 3], channel: index % 2 == 0 ? "A" : "B",
                                          sequenceId: index % 10, payloadLimit: [60, 30, 12][index % 3],
                                          receivedAt: message.receivedAt, source: message.source)
            expected.append(message)
        }
        let decoded = AISFixtures.decode(lines: lines)
        #expect(decoded.counts.refusedTotal == 0, "seed \(seed): \(decoded.counts)")
        #expect(decoded.messages.count == expected.count, "seed \(seed)")
        for (index, (a, b)) in zip(decoded.messages, expected).enumerated() where a != b {
            Issue.record("seed \(seed), message \(index + 1):\n  decoded  \(a)\n  expected \(b)")
            break
        }
    }

    @Test("messages encoded by pyais (an independent encoder) decode to the fields it was given",
          .enabled(if: AISFixtures.hasPyais || AISFixtures.required))
    func pyaisEncoded() throws {
        let seed = TestSeed.make() % 1_000_000_007
        let run = try CommandLineTool.shell("python3 \(AISFixtures.oracle("pyais_encode.py")) \(seed) 1000")
        #expect(run.status == 0, "\(run.stderr)")
        let cases = AISFixtures.ndjson(run.stdout)
        #expect(cases.count == 1000)
        var mismatches: [String] = []
        for (index, item) in cases.enumerated() {
            let sentences = item["sentences"] as? [String] ?? []
            let expected = item["expected"] as? [String: Any] ?? [:]
            let decoded = AISFixtures.decode(lines: sentences)
            guard var mine = decoded.objects.first, decoded.objects.count == 1 else {
                mismatches.append("case \(index + 1): not decoded (\(decoded.counts)) \(sentences)")
                continue
            }
            mine["channel"] = nil
            mine["ownVessel"] = nil
            let found = AISFixtures.differences(mine, expected)
            if !found.isEmpty { mismatches.append("case \(index + 1) \(sentences): \(found.joined(separator: "; "))") }
        }
        #expect(mismatches.isEmpty, "seed \(seed):\n\(mismatches.prefix(10).joined(separator: "\n"))")
    }
}
