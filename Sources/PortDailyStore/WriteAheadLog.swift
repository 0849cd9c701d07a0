import Foundation

/// Reads a WAL file as SQLite wrote it (the format is SQLite's "WAL file format" page), to find
/// damage SQLite itself would pass over in silence: on opening, SQLite replays the log up to its
/// first frame whose checksum fails and drops the rest, so a damaged frame in the middle of the
/// log would lose every transaction committed after it without an error.
///
/// A bad frame in the log's last transaction is what a crash during a commit leaves (that commit
/// was never acknowledged): only committed transactions after the transaction of a bad frame count
/// as damage. Hand-written: no library reads SQLite's WAL format.
public struct WriteAheadLog: Sendable {
    /// The WAL file's path for the database at `databasePath`.
    public static func path(of databasePath: String) -> String { databasePath + "-wal" }

    /// What the check found: nil when the log is absent, empty, or sound.
    public static func damage(databasePath: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path(of: databasePath)), !data.isEmpty else { return nil }
        return inspect([UInt8](data))
    }

    static let headerSize = 32
    static let frameHeaderSize = 24

    /// The damage in the log's bytes, or nil.
    public static func inspect(_ bytes: [UInt8]) -> String? {
        guard bytes.count >= headerSize else { return nil }  // a log SQLite never finished starting holds nothing
        let magic = bigEndian(bytes, 0)
        guard magic == 0x377f_0682 || magic == 0x377f_0683 else { return "the write-ahead log's header is damaged" }
        let nativeBigEndian = magic & 1 == 1
        let pageSize = Int(bigEndian(bytes, 8))
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            return "the write-ahead log's header is damaged (page size \(pageSize))"
        }
        let salts = (bigEndian(bytes, 16), bigEndian(bytes, 20))
        var sums = checksum(bytes[0..<24], nativeBigEndian: nativeBigEndian, seed: (0, 0))
        guard sums == (bigEndian(bytes, 24), bigEndian(bytes, 28)) else {
            return "the write-ahead log's header is damaged (checksum)"
        }
        let frameSize = frameHeaderSize + pageSize
        let frames = (bytes.count - headerSize) / frameSize
        var firstBad: Int?
        var committedAfterBad = 0
        var transactionOfBadEnded = false
        for index in 0..<frames {
            let start = headerSize + index * frameSize
            guard (bigEndian(bytes, start + 8), bigEndian(bytes, start + 12)) == salts else { continue }  // an older log's frame
            let isCommit = bigEndian(bytes, start + 4) != 0
            if firstBad == nil {
                sums = checksum(bytes[start..<start + 8], nativeBigEndian: nativeBigEndian, seed: sums)
                sums = checksum(bytes[start + frameHeaderSize..<start + frameSize], nativeBigEndian: nativeBigEndian, seed: sums)
                if sums != (bigEndian(bytes, start + 16), bigEndian(bytes, start + 20)) {
                    firstBad = index
                    transactionOfBadEnded = isCommit
                }
            } else if isCommit {
                if transactionOfBadEnded { committedAfterBad += 1 } else { transactionOfBadEnded = true }
            }
        }
        guard let firstBad, committedAfterBad > 0 else { return nil }
        return "the write-ahead log's frame \(firstBad + 1) is damaged, and \(committedAfterBad) committed "
            + "transaction\(committedAfterBad == 1 ? "" : "s") after it would be lost"
    }

    private static func bigEndian(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// SQLite's WAL checksum over `slice` (a multiple of 8 bytes), continuing from `seed`.
    static func checksum(_ slice: ArraySlice<UInt8>, nativeBigEndian: Bool, seed: (UInt32, UInt32)) -> (UInt32, UInt32) {
        var (s0, s1) = seed
        var index = slice.startIndex
        while index + 8 <= slice.endIndex {
            let x0 = word(slice, index, bigEndian: nativeBigEndian)
            let x1 = word(slice, index + 4, bigEndian: nativeBigEndian)
            s0 = s0 &+ x0 &+ s1
            s1 = s1 &+ x1 &+ s0
            index += 8
        }
        return (s0, s1)
    }

    private static func word(_ slice: ArraySlice<UInt8>, _ offset: Int, bigEndian: Bool) -> UInt32 {
        let (a, b, c, d) = (UInt32(slice[offset]), UInt32(slice[offset + 1]), UInt32(slice[offset + 2]), UInt32(slice[offset + 3]))
        return bigEndian ? a << 24 | b << 16 | c << 8 | d : d << 24 | c << 16 | b << 8 | a
    }
}
