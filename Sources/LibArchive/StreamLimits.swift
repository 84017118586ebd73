/// Caps on the decompressed tar stream that `ArchiveReader` enforces while libarchive reads, so
/// they hold inside a single libarchive call too.
public struct StreamLimits: Sendable, Equatable {
    /// Most decompressed bytes of the whole tar stream: headers, records, padding and data.
    public var maxStreamBytes: Int64
    /// Most decompressed bytes one header read may consume: the entry's header with its pax and
    /// GNU records (libarchive allows 32 of up to 1 MiB each, and a GNU sparse header any number
    /// of extension blocks, each growing a list in memory).
    public var maxHeaderBytes: Int64
    /// Most bytes of pax and GNU records in the whole archive (header bytes beyond each entry's
    /// 512-byte block): libarchive parses some records in quadratic time (a pax ACL of named
    /// users), so their total is bounded, not only each one.
    public var maxExtraHeaderBytes: Int64

    public init(maxStreamBytes: Int64, maxHeaderBytes: Int64, maxExtraHeaderBytes: Int64 = .max) {
        self.maxStreamBytes = maxStreamBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxExtraHeaderBytes = maxExtraHeaderBytes
    }

    /// No caps (archives the caller wrote itself).
    public static let unlimited = StreamLimits(maxStreamBytes: .max, maxHeaderBytes: .max)
}
