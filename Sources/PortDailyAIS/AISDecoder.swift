public import PortDailyCore

/// What a decoder has seen: lines, messages by type, and what it dropped, by reason.
public struct AISCounts: Sendable, Equatable {
    public var lines = 0
    /// Blank lines, comments, and other NMEA sentences.
    public var ignored = 0
    public var decoded = 0
    /// Decoded messages by type (index = type).
    public var byType = [Int](repeating: 0, count: 28)
    /// Defined types this decoder does not read (index = type).
    public var skippedTypes = [Int](repeating: 0, count: 28)
    public var refused: [AISRefusal: Int] = [:]
    /// Messages already received within the duplicate window (several receivers, one transmission).
    public var duplicates = 0

    public init() {}

    public var skipped: Int { skippedTypes.reduce(0, +) }
    public var refusedTotal: Int { refused.values.reduce(0, +) }
}

/// Turns lines of NMEA into messages: sentences checked, fragments reassembled, duplicates
/// dropped. No I/O and no clock: each line's time is the one it carries, or the caller's
/// `arrivedAt` (a live feed's clock); with neither, fragments and duplicates are judged by how
/// many sentences came between.
public struct AISDecoder: Sendable {
    public struct Options: Sendable {
        /// A multi-sentence message's fragments must all arrive within this time ...
        public var fragmentTimeoutMilliseconds: Int64 = 10_000
        /// ... and within this many sentences (for lines without a time).
        public var fragmentSentenceWindow = 1_000
        /// Drop a message whose MMSI and payload were seen this recently (several receivers).
        public var dropDuplicates = true
        public var duplicateWindowMilliseconds: Int64 = 10_000
        /// How many recent messages are remembered for that (for lines without a time: the window).
        public var duplicateMemory = 4_096

        public init() {}
    }

    public let options: Options
    public private(set) var counts = AISCounts()
    private var pending: [FragmentKey: PendingMessage] = [:]
    private var sentences = 0
    private var duplicates: DuplicateFilter

    public init(options: Options = Options()) {
        self.options = options
        duplicates = DuplicateFilter(memory: options.duplicateMemory, window: options.duplicateWindowMilliseconds)
    }

    /// Decodes one line (without or with its line end); a message when the line completes one.
    /// `feed` tells apart the connections one decoder serves: fragments of different feeds
    /// never join, duplicates across them are dropped.
    public mutating func decode(line: UnsafeBufferPointer<UInt8>, arrivedAt: Instant? = nil, feed: Int = 0) -> AISMessage? {
        counts.lines += 1
        switch NMEALine.parse(line) {
        case .ignored:
            counts.ignored += 1
            return nil
        case .refused(let refusal):
            counts.refused[refusal, default: 0] += 1
            return nil
        case .sentence(var sentence):
            if sentence.receivedAt == nil { sentence.receivedAt = arrivedAt }
            return accept(sentence, feed: feed)
        }
    }

    public mutating func decode(line: String, arrivedAt: Instant? = nil) -> AISMessage? {
        var line = line
        return line.withUTF8 { decode(line: $0, arrivedAt: arrivedAt) }
    }

    /// Counts the fragments still waiting as lone: the end of a recording.
    public mutating func finish() {
        for (_, message) in pending { counts.refused[.loneFragment, default: 0] += message.received }
        pending.removeAll()
    }

    private mutating func accept(_ sentence: NMEASentence, feed: Int) -> AISMessage? {
        sentences += 1
        var bits = AISBits()
        if sentence.fragmentCount == 1 {
            sentence.payload.withUnsafeBufferPointer { _ = bits.append(armoured: $0) }
            bits.removeLast(sentence.fillBits)
            return message(bits, sentence)
        }
        expire(now: sentence.receivedAt)
        let key = FragmentKey(sentence, feed: feed)
        if var waiting = pending[key] {
            if waiting.fragments[sentence.fragmentNumber - 1] != nil {
                // The same fragment again: the message it belonged to is lost; this one starts anew.
                counts.refused[.loneFragment, default: 0] += waiting.received
                pending[key] = PendingMessage(sentence, index: sentences)
                return nil
            }
            waiting.add(sentence)
            guard waiting.received == sentence.fragmentCount else {
                pending[key] = waiting
                return nil
            }
            pending[key] = nil
            for fragment in waiting.fragments {
                fragment!.payload.withUnsafeBufferPointer { _ = bits.append(armoured: $0) }
            }
            bits.removeLast(waiting.fragments[sentence.fragmentCount - 1]!.fillBits)
            return message(bits, waiting.first)
        }
        pending[key] = PendingMessage(sentence, index: sentences)
        return nil
    }

    /// Fragments older than the time-out, or than the sentence window, are lone.
    private mutating func expire(now: Instant?) {
        guard !pending.isEmpty else { return }
        let oldest = sentences - options.fragmentSentenceWindow
        for (key, waiting) in pending {
            var stale = waiting.index < oldest
            if let now, let then = waiting.first.receivedAt,
               now.millisecondsSinceEpoch - then.millisecondsSinceEpoch > options.fragmentTimeoutMilliseconds { stale = true }
            if stale {
                counts.refused[.loneFragment, default: 0] += waiting.received
                pending[key] = nil
            }
        }
    }

    private mutating func message(_ bits: AISBits, _ sentence: NMEASentence) -> AISMessage? {
        switch AISMessage.decode(bits) {
        case .refused(let refusal):
            counts.refused[refusal, default: 0] += 1
            return nil
        case .skipped(let type):
            counts.skippedTypes[type] += 1
            return nil
        case .decoded(var message):
            if options.dropDuplicates, duplicates.seen(mmsi: message.mmsi, bits: bits, at: sentence.receivedAt) {
                counts.duplicates += 1
                return nil
            }
            message.ownVessel = sentence.ownVessel
            message.channel = sentence.channel
            message.receivedAt = sentence.receivedAt
            message.source = sentence.source
            counts.decoded += 1
            counts.byType[message.type] += 1
            return message
        }
    }
}

/// Fragments of one message share feed, talker, sentence kind, channel, sequence id and count
/// (not the source: a tag block names it on the first fragment only).
struct FragmentKey: Hashable {
    var feed: Int
    var talker: String
    var ownVessel: Bool
    var channel: UInt8
    var sequenceId: Int
    var count: Int

    init(_ sentence: NMEASentence, feed: Int) {
        self.feed = feed
        talker = sentence.talker
        ownVessel = sentence.ownVessel
        channel = sentence.channel
        sequenceId = sentence.sequenceId ?? -1
        count = sentence.fragmentCount
    }
}

struct PendingMessage {
    var fragments: [NMEASentence?]
    var received = 0
    /// The sentence index at which the first fragment arrived.
    var index: Int
    /// The fragment that gives the message its time and source: the first to carry them.
    var first: NMEASentence

    init(_ sentence: NMEASentence, index: Int) {
        fragments = Array(repeating: nil, count: sentence.fragmentCount)
        self.index = index
        first = sentence
        add(sentence)
    }

    mutating func add(_ sentence: NMEASentence) {
        fragments[sentence.fragmentNumber - 1] = sentence
        received += 1
        if first.receivedAt == nil { first.receivedAt = sentence.receivedAt }
        if first.source == nil { first.source = sentence.source }
    }
}

/// Remembers recent messages by MMSI and payload (a 64-bit hash of the bits): a repeat within
/// the window (by time when both have one, else while still remembered) is a duplicate. Two
/// generations of `memory` entries each, so old entries go without a scan.
struct DuplicateFilter: Sendable {
    private var current: [UInt64: Int64] = [:]
    private var previous: [UInt64: Int64] = [:]
    private let memory: Int
    private let window: Int64
    private static let unknownTime = Int64.min

    init(memory: Int, window: Int64) {
        self.memory = max(1, memory)
        self.window = window
        current.reserveCapacity(self.memory)
    }

    mutating func seen(mmsi: Int, bits: AISBits, at time: Instant?) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(mmsi)
        var position = 0
        while position < bits.count {
            let length = min(64, bits.count - position)
            hash = (hash ^ bits.unsigned(position, length)) &* 0x0000_0100_0000_01b3
            hash ^= hash >> 29
            position += length
        }
        hash ^= UInt64(bits.count)
        let now = time?.millisecondsSinceEpoch ?? Self.unknownTime
        if let first = current[hash] ?? previous[hash],
           first == Self.unknownTime || now == Self.unknownTime || abs(now - first) <= window {
            // The time of the first copy stays: copies cannot chain a window past it.
            return true
        }
        if current.count >= memory {
            previous = current
            current = [:]
            current.reserveCapacity(memory)
        }
        current[hash] = now
        return false
    }
}
