internal import CArchive
public import FoundationEssentials
import Glibc

/// Hands the archive's bytes (in memory or from a file) to libarchive in chunks copied into one
/// stable buffer, so no pointer into a Swift array or `Data` ever escapes its `withUnsafeBytes`
/// scope. These are the raw, still compressed bytes: `TarStream` inflates them.
final class RawChunks {
    enum Storage { case bytes([UInt8]), data(Data), file(Int32) }

    static let chunkSize = 64 * 1024
    /// Most raw bytes handed over but not yet consumed: only a gzip header field (a file name or
    /// comment without its NUL) makes libarchive read ahead that far, one byte at a time and
    /// holding all of it; real deflate data never needs more than a chunk or two.
    static let maxReadAhead: Int64 = 1 << 20
    let storage: Storage
    /// Raw bytes handed to libarchive so far.
    private(set) var handed: Int64 = 0
    /// Set when the read-ahead cap stopped the reading.
    var exceeded: String?
    private var offset = 0
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)

    init(storage: Storage) { self.storage = storage }

    deinit {
        chunk.deallocate()
        if case .file(let descriptor) = storage { Glibc.close(descriptor) }
    }

    /// Whether the archive starts with gzip's magic bytes (`1f 8b`), read without consuming them.
    var startsWithGzipMagic: Bool {
        var head = [UInt8](repeating: 0, count: 2)
        let count: Int = switch storage {
        case .bytes(let bytes): { head = Array(bytes.prefix(2)); return head.count }()
        case .data(let data): { head = Array(data.prefix(2)); return head.count }()
        case .file(let descriptor): head.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 2, 0) }
        }
        return count == 2 && head[0] == 0x1F && head[1] == 0x8B
    }

    /// `count` raw bytes from `offset`; nil when the archive is shorter or cannot be read.
    func bytes(at offset: Int64, count: Int) -> [UInt8]? {
        let read = bytes(at: offset, upTo: count)
        return read?.count == count ? read : nil
    }

    /// Up to `count` raw bytes from `offset` (fewer at the end); nil when they cannot be read.
    func bytes(at offset: Int64, upTo count: Int) -> [UInt8]? {
        guard offset >= 0, count >= 0 else { return nil }
        switch storage {
        case .bytes(let bytes):
            let start = Int(min(offset, Int64(bytes.count)))
            return Array(bytes[start..<min(bytes.count, start + count)])
        case .data(let data):
            let start = data.index(data.startIndex, offsetBy: Int(min(offset, Int64(data.count))))
            return Array(data[start..<data.index(start, offsetBy: min(count, data.endIndex - start))])
        case .file(let descriptor):
            var result = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let got = result.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
                if got < 0, errno == EINTR { continue }
                if got < 0 { return nil }
                if got == 0 { break }
                filled += got
            }
            return Array(result.prefix(filled))
        }
    }

    /// Whether every raw byte from `offset` to the end is zero (reading a chunk at a time).
    func isZero(from offset: Int64) -> Bool {
        var position = offset
        while true {
            guard let piece = bytes(at: position, upTo: Self.chunkSize) else { return false }
            if piece.isEmpty { return true }
            guard piece.allSatisfy({ $0 == 0 }) else { return false }
            position += Int64(piece.count)
        }
    }

    /// The offset of the first zero byte at or after `offset`, looking no further than `limit` bytes.
    func offsetOfZero(from offset: Int64, within limit: Int64) -> Int64? {
        var position = offset
        while position - offset < limit, let piece = bytes(at: position, upTo: Self.chunkSize), !piece.isEmpty {
            if let zero = piece.firstIndex(of: 0) { return position + Int64(zero) }
            position += Int64(piece.count)
        }
        return nil
    }

    /// Copies the next chunk into the stable buffer; returns its address and length (0 at end, -1 on a read error).
    func next() -> (UnsafeRawPointer, Int) {
        if case .file(let descriptor) = storage {
            var count: Int
            repeat { count = read(descriptor, chunk.baseAddress!, Self.chunkSize) } while count < 0 && errno == EINTR
            handed += Int64(max(0, count))
            return (UnsafeRawPointer(chunk.baseAddress!), count)
        }
        let total: Int = switch storage {
        case .bytes(let bytes): bytes.count
        case .data(let data): data.count
        case .file: 0
        }
        let count = min(Self.chunkSize, total - offset)
        guard count > 0 else { return (UnsafeRawPointer(chunk.baseAddress!), 0) }
        let target = UnsafeMutableRawBufferPointer(rebasing: chunk[0..<count])
        switch storage {
        case .bytes(let bytes):
            bytes.withUnsafeBytes { target.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + count])) }
        case .data(let data):
            let start = data.index(data.startIndex, offsetBy: offset)
            data.copyBytes(to: target, from: start..<data.index(start, offsetBy: count))
        case .file: break
        }
        offset += count
        handed += Int64(count)
        return (UnsafeRawPointer(chunk.baseAddress!), count)
    }
}

/// `archive_read_callback` over `RawChunks`: a capture-free closure, so it converts to a C function pointer.
let rawChunksCallback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?,
                                       UnsafeMutablePointer<UnsafeRawPointer?>?) -> Int = { archive, client, buffer in
    guard let client, let buffer else { return Int(ARCHIVE_FATAL) }
    let raw = Unmanaged<RawChunks>.fromOpaque(client).takeUnretainedValue()
    let consumed = archive.map { archive_filter_bytes($0, -1) } ?? 0
    guard raw.handed - consumed <= RawChunks.maxReadAhead else {
        raw.exceeded = "expected gzip header fields (file name, comment) of at most \(RawChunks.maxReadAhead) bytes, found one longer"
        return Int(ARCHIVE_FATAL)
    }
    let (pointer, count) = raw.next()
    buffer.pointee = pointer
    return count
}
