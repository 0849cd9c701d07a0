import Foundation
import PortDailyAIS
import PortDailyCore
import PortDailySimulation
import PortDailyTestSupport
import Testing

@Suite("AIS decoder: sentences, fragments, tag blocks, duplicates")
struct DecoderTests {
    static let position = "!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A"
    /// Type 5 in two fragments (gpsd's sample.aivdm), sequence id 1.
    static let staticOne = "!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C"
    static let staticTwo = "!AIVDM,2,2,1,A,88888888880,2*25"

    /// A sentence with its checksum recomputed after a change.
    static func sentence(_ body: String) -> String { "!\(body)*\(AISEncoder.checksum(body))" }

    @Test("a class A position: every field as gpsd's sample documents it")
    func classA() throws {
        let decoded = AISFixtures.decode(lines: [Self.position])
        let message = try #require(decoded.messages.first)
        #expect(message.type == 1 && message.mmsi == 371_798_000 && message.navStatus == 0)
        #expect(abs(message.lat! - 48.381633) < 1e-6 && abs(message.lon! - -123.395383) < 1e-6)
        #expect(message.sog == 12.3 && message.cog == 224 && message.heading == 215 && message.channel == UInt8(ascii: "A"))
        #expect(decoded.counts.decoded == 1 && decoded.counts.lines == 1)
    }

    @Test("any one byte changed in a sentence is refused by its checksum, and the next line still decodes")
    func checksums() {
        let seed = TestSeed.make()
        var random = SeededGenerator(seed: seed)
        let line = Array(Self.position.utf8)
        let star = line.firstIndex(of: UInt8(ascii: "*"))!
        for _ in 0..<200 {
            var changed = line
            let index = Int(random.next() % UInt64(star - 1)) + 1
            var byte = UInt8(truncatingIfNeeded: random.next() % 94 + 33)
            if byte == changed[index] || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "!") || byte == UInt8(ascii: "\\") { byte = changed[index] == 65 ? 66 : 65 }
            changed[index] = byte
            let decoded = AISFixtures.decode(lines: [String(decoding: changed, as: UTF8.self), Self.position])
            #expect(decoded.messages.count == 1, "seed \(seed): \(String(decoding: changed, as: UTF8.self))")
            #expect(decoded.counts.refusedTotal == 1 || decoded.counts.ignored == 1, "seed \(seed): \(String(decoding: changed, as: UTF8.self)) \(decoded.counts)")
        }
        let wrong = AISFixtures.decode(lines: [Self.position.replacingOccurrences(of: "*4A", with: "*4B")])
        #expect(wrong.counts.refused == [.checksum: 1] && wrong.messages.isEmpty)
    }

    @Test("fill bits end the message where the sentence says: 163 bits (fill 5) and 168 (fill 0) decode alike")
    func fillBits() throws {
        // gpsd's sample: the same class A report sent with 5 fill bits and with none.
        let short = "!AIVDM,1,1,,A,13aIkM@P00PJ@qPNL=e@0?wJ28JO,5*63", full = "!AIVDM,1,1,,A,13aIkM@P00PJ@qPNL=e@0?wJ28JO,0*66"
        let decoded = AISFixtures.decode(lines: [short, full])
        #expect(decoded.messages.count == 2)
        var first = try #require(decoded.messages.first), second = decoded.messages[1]
        first.channel = 0
        second.channel = 0
        #expect(first == second)
        // A type 24 part A is 160 bits: 27 characters with 2 fill bits.
        var name = AISMessage(type: 24, mmsi: 271_041_815)
        name.partNumber = 0
        name.name = "PROGUY"
        let sentences = AISEncoder.sentences(name)
        #expect(sentences.count == 1 && sentences[0].contains(",2*"))
        #expect(AISFixtures.decode(lines: sentences).messages.first?.name == "PROGUY")
        // Fill bits beyond 5, or a payload too short for its type, are refused.
        #expect(AISFixtures.decode(lines: [Self.sentence("AIVDM,1,1,,A,13aIkM@P00PJ@qPNL=e@0?wJ28JO,6")]).counts.refused == [.malformed: 1])
        #expect(AISFixtures.decode(lines: [Self.sentence("AIVDM,1,1,,A,13aIkM@P00PJ@qPNL=e@0,0")]).counts.refused == [.truncated: 1])
    }

    @Test("a two-sentence message is put together in order, out of order, and between other messages")
    func fragments() throws {
        let inOrder = AISFixtures.decode(lines: [Self.staticOne, Self.staticTwo])
        let reversed = AISFixtures.decode(lines: [Self.staticTwo, Self.position, Self.staticOne])
        let message = try #require(inOrder.messages.first)
        #expect(message.name == "EVER DIADEM" && message.callSign == "3FOF8" && message.imo == 9_134_270)
        #expect(message.destination == "NEW YORK" && message.shipType == 70)
        #expect(message.dimensions == AISMessage.Dimensions(bow: 225, stern: 70, port: 1, starboard: 31))
        #expect(reversed.messages.map(\.type) == [1, 5] && reversed.messages.last == message)
        #expect(reversed.counts.refusedTotal == 0)
        // Two messages interleaved, told apart by their sequence ids.
        var other = AISMessage(type: 5, mmsi: 412_000_001)
        other.name = "JIN GANG TUO 1"
        other.destination = "TIANJIN"
        let otherLines = AISEncoder.sentences(other, sequenceId: 2)
        #expect(otherLines.count == 2)
        let interleaved = AISFixtures.decode(lines: [Self.staticOne, otherLines[0], Self.staticTwo, otherLines[1]])
        #expect(interleaved.messages.map(\.mmsi) == [351_759_000, 412_000_001])
        #expect(interleaved.messages.last?.name == "JIN GANG TUO 1" && interleaved.messages.last?.destination == "TIANJIN")
    }

    @Test("a lost fragment is counted lone, never joined to the next message; late fragments time out")
    func lostFragments() {
        // The second part never came: counted at the end.
        let alone = AISFixtures.decode(lines: [Self.staticOne, Self.position])
        #expect(alone.messages.count == 1 && alone.counts.refused == [.loneFragment: 1])
        // The first part twice: the first copy's message is lost, the second completes.
        let again = AISFixtures.decode(lines: [Self.staticOne, Self.staticOne, Self.staticTwo])
        #expect(again.messages.count == 1 && again.counts.refused == [.loneFragment: 1])
        // A second part 30 s after the first (tag block times): too late, both lone.
        let late = AISFixtures.decode(lines: ["\\c:1420030000*00\\" + Self.staticOne, "\\c:1420030030*00\\" + Self.staticTwo])
        #expect(late.messages.isEmpty && late.counts.refused == [.loneFragment: 2])
        // Within the time-out it joins.
        let prompt = AISFixtures.decode(lines: ["\\c:1420030000*00\\" + Self.staticOne, "\\c:1420030001*00\\" + Self.staticTwo])
        #expect(prompt.messages.count == 1 && prompt.messages[0].receivedAt == Instant(millisecondsSinceEpoch: 1_420_030_000_000))
        // Without times: more than the sentence window between the parts.
        var options = AISDecoder.Options()
        options.fragmentSentenceWindow = 3
        options.dropDuplicates = false
        var decoder = AISDecoder(options: options)
        _ = decoder.decode(line: Self.staticOne)
        for _ in 0..<4 { _ = decoder.decode(line: Self.position) }
        #expect(decoder.decode(line: Self.staticTwo) == nil)
        decoder.finish()
        #expect(decoder.counts.refused == [.loneFragment: 2])
    }

    @Test("tag blocks: receive time in seconds or milliseconds, source, group; a wrong tag checksum refused, *00 taken as none")
    func tagBlocks() throws {
        let seconds = AISFixtures.decode(lines: ["\\s:rEV02,c:1334337317*58\\" + Self.position])
        #expect(seconds.messages.first?.receivedAt == ISO8601.parse("2012-04-13T17:15:17Z"))
        #expect(seconds.messages.first?.source == "rEV02")
        let tag = "c:1334337317123"
        let millis = AISFixtures.decode(lines: ["\\\(tag)*\(AISEncoder.checksum(tag))\\" + Self.position])
        #expect(millis.messages.first?.receivedAt == ISO8601.parse("2012-04-13T17:15:17.123Z"))
        let placeholder = AISFixtures.decode(lines: ["\\c:1420030798*00\\" + Self.position])
        #expect(placeholder.messages.first?.receivedAt == ISO8601.parse("2014-12-31T12:59:58Z"))
        let wrong = AISFixtures.decode(lines: ["\\s:rEV02,c:1334337317*59\\" + Self.position])
        #expect(wrong.messages.isEmpty && wrong.counts.refused == [.checksum: 1])
        let open = AISFixtures.decode(lines: ["\\s:rEV02,c:1334337317*58" + Self.position])
        #expect(open.messages.isEmpty && open.counts.refused == [.malformed: 1])
        // A group's time and source come from its first line's tag block (exactEarth's format).
        let group = try String(contentsOfFile: AISFixtures.recording("risky-tag-blocks.nmea"), encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { $0.hasPrefix("\\g:") }.prefix(2)
        let grouped = AISFixtures.decode(lines: Array(group))
        #expect(grouped.messages.count == 1 && grouped.messages[0].type == 5 && grouped.messages[0].source == "rEV02")
        #expect(grouped.messages[0].receivedAt == ISO8601.parse("2012-04-13T17:15:17Z"))
    }

    @Test("a timestamp at the start of the line is the receive time, in the formats recorders write",
          arguments: [("2014-12-31T12:59:58Z ", "2014-12-31T12:59:58Z"), ("2014-12-31 12:59:58.250 ", "2014-12-31T12:59:58.250Z"),
                      ("2014-12-31T20:59:58+08:00;", "2014-12-31T12:59:58Z"), ("1420030798 ", "2014-12-31T12:59:58Z"),
                      ("1420030798.5:", "2014-12-31T12:59:58.500Z"), ("1420030798250,", "2014-12-31T12:59:58.250Z"),
                      ("\"31/12/2014 12:59:58\" ", "2014-12-31T12:59:58Z"), ("[2014/12/31 12:59:58] ", "2014-12-31T12:59:58Z")])
    func timestamps(prefix: String, expected: String) {
        let decoded = AISFixtures.decode(lines: [prefix + Self.position])
        #expect(decoded.messages.first?.receivedAt == ISO8601.parse(expected), "\(prefix)")
        // A prefix that is no time still lets the sentence decode, without a time.
        #expect(AISFixtures.decode(lines: ["receiver-7 " + Self.position]).messages.first?.receivedAt == nil)
    }

    @Test("any talker; VDO is the receiver's own vessel; other NMEA sentences are ignored, not refused")
    func talkers() {
        let body = "VDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0"
        let lines = ["AI", "AB", "BS", "SA", "AN"].map { Self.sentence($0 + body) }
        let decoded = AISFixtures.decode(lines: lines + [Self.sentence("AIVDO,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0")])
        #expect(decoded.messages.count == 6 && decoded.messages.filter(\.ownVessel).count == 1)
        let other = AISFixtures.decode(lines: ["$GPVTG,000.0,T,347.1,M,000.0,N,000.0,K,A*0D", "$BSALR,,006,V,V,general failure*62", "", "# comment"])
        #expect(other.counts.ignored == 4 && other.counts.refusedTotal == 0 && other.messages.isEmpty)
        #expect(AISFixtures.decode(lines: ["garbage"]).counts.refused == [.malformed: 1])
    }

    @Test("a type this decoder does not read is counted and skipped; an undefined type is refused")
    func types() {
        // gpsd's sample: type 8 and type 27.
        let skipped = AISFixtures.decode(lines: ["!AIVDM,1,1,,A,85Mwp`1Kf3aCnsNvBWLi=wQuNhA5t43N`5nCuI=p<IBfVqnMgPGs,0*47"])
        #expect(skipped.counts.skippedTypes[8] == 1 && skipped.messages.isEmpty && skipped.counts.refusedTotal == 0)
        // Type 0 and type 40 do not exist.
        for payload in ["05RTgt0PAso;90TKcjM8h6g208CQ", "h5RTgt0PAso;90TKcjM8h6g208CQ"] {
            let refused = AISFixtures.decode(lines: [Self.sentence("AIVDM,1,1,,A,\(payload),0")])
            #expect(refused.counts.refused == [.unknownType: 1], "\(payload)")
        }
        #expect(AISFixtures.decode(lines: [Self.sentence("AIVDM,1,1,,A,15RTgt0P~so;90TKcjM8h6g208CQ,0")]).counts.refused == [.badPayload: 1])
    }

    @Test("the same transmission from two receivers is kept once; a repeat after the window is kept; without times, while remembered")
    func duplicates() {
        let a = "\\s:north,c:1420030798*00\\" + Self.position
        let b = "\\s:south,c:1420030800*00\\" + Self.sentence("BSVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0")
        let later = "\\s:north,c:1420030898*00\\" + Self.position
        let decoded = AISFixtures.decode(lines: [a, b, later], keepDuplicates: false)
        #expect(decoded.messages.count == 2 && decoded.counts.duplicates == 1)
        #expect(decoded.messages.map(\.source) == ["north", "north"])
        let untimed = AISFixtures.decode(lines: [Self.position, Self.position], keepDuplicates: false)
        #expect(untimed.messages.count == 1 && untimed.counts.duplicates == 1)
        // Another vessel's message is no duplicate, nor another message of the same vessel.
        let other = AISFixtures.decode(lines: [Self.position, "!AIVDM,1,1,,A,16SteH0P00Jt63hHaa6SagvJ087r,0*42"], keepDuplicates: false)
        #expect(other.messages.count == 2)
        #expect(AISFixtures.decode(lines: [a, b], keepDuplicates: true).messages.count == 2)
    }

    @Test("garbage, cut lines and random bytes never stop the decode; every line is counted once")
    func garbage() throws {
        let seed = TestSeed.make()
        var random = SeededGenerator(seed: seed)
        let real = try Array(Data(contentsOf: URL(fileURLWithPath: AISFixtures.recording("risky-ais-excerpt.nmea"))))
        var bytes = real
        for _ in 0..<2_000 {
            let index = Int(random.next() % UInt64(bytes.count))
            bytes[index] = UInt8(truncatingIfNeeded: random.next())
        }
        let decoded = AISFixtures.decode(bytes: bytes, keepDuplicates: true, chunk: 777)
        let lines = bytes.filter { $0 == 10 }.count + (bytes.last == 10 ? 0 : 1)
        #expect(decoded.counts.lines == lines, "seed \(seed)")
        #expect(decoded.counts.decoded > 100 && decoded.counts.refusedTotal > 100, "seed \(seed): \(decoded.counts)")
        // Chunk boundaries do not change the decode.
        let whole = AISFixtures.decode(bytes: real, keepDuplicates: true, chunk: 1 << 20)
        let pieces = AISFixtures.decode(bytes: real, keepDuplicates: true, chunk: 13)
        #expect(whole.messages == pieces.messages && whole.counts == pieces.counts)
    }
}
