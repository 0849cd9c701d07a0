/// Splits a byte stream (a file read in chunks, a TCP feed) into lines at `\n`; a line cut by a
/// chunk's end waits for the next chunk. A line longer than `maximumLine` is dropped whole
/// (NMEA sentences are at most 82 characters; with tag blocks and stamps a few hundred).
public struct LineSplitter: Sendable {
    private var carry: [UInt8] = []
    private var discarding = false
    public let maximumLine: Int
    /// Lines dropped for their length.
    public private(set) var overlong = 0

    public init(maximumLine: Int = 4096) { self.maximumLine = maximumLine }

    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ line: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        var index = 0
        while index < chunk.count {
            if chunk[index] == 10 {
                let piece = UnsafeBufferPointer(rebasing: chunk[start..<index])
                if discarding {
                    discarding = false
                } else if carry.isEmpty {
                    line(piece)
                } else {
                    carry.append(contentsOf: piece)
                    if carry.count <= maximumLine { carry.withUnsafeBufferPointer(line) } else { overlong += 1 }
                    carry.removeAll(keepingCapacity: true)
                }
                start = index + 1
            }
            index += 1
        }
        guard start < chunk.count, !discarding else { return }
        carry.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[start...]))
        if carry.count > maximumLine {
            overlong += 1
            carry.removeAll(keepingCapacity: true)
            discarding = true
        }
    }

    /// The last line, when the stream did not end with `\n`.
    public mutating func finish(_ line: (UnsafeBufferPointer<UInt8>) -> Void) {
        if !carry.isEmpty, !discarding { carry.withUnsafeBufferPointer(line) }
        carry.removeAll()
        discarding = false
    }
}
