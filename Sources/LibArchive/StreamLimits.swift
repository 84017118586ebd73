/// Caps on the decompressed tar stream that `ArchiveReader` enforces while libarchive reads, so
/// they hold inside a single libarchive call too.
public struct StreamLimits: Sendable, Equatable {
    /// Most decompressed bytes of the whole tar stream: headers, records, padding and data.
    public var maxStreamBytes: Int64
    /// Most decompressed bytes one header read may consume: the entry's header with its pax and
    /// GNU records (libarchive allows 32 of up to 1 MiB each, and a GNU sparse header any number
    /// of extension blocks, each growing a list in memory).
    public var maxHeaderBytes: Int64

    public init(maxStreamBytes: Int64, maxHeaderBytes: Int64) {
        self.maxStreamBytes = maxStreamBytes
        self.maxHeaderBytes = maxHeaderBytes
    }

    /// No caps (archives the caller wrote itself).
    public static let unlimited = StreamLimits(maxStreamBytes: .max, maxHeaderBytes: .max)
}
