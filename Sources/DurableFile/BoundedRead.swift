public import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension DurableFile {
    /// The whole file at `path` in one open, one fstat(2) and as few reads as its size needs; nil
    /// when it does not exist. Refuses a file larger than `limit` bytes before reading any of it
    /// (also one that grows past `limit` while it is read), and anything that is not a regular
    /// file: opened non-blocking, so a FIFO planted in a cache cannot hang the caller.
    public static func read(_ path: String, limit: Int) throws(Failure) -> Data? {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw Failure("open", path)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw Failure("fstat", path) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw Failure("read", path, reason: "not a regular file") }
        guard Int(status.st_size) <= limit else { throw Failure("read", path, reason: "\(status.st_size) bytes exceeds the limit of \(limit)") }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)  // one spare byte notices growth
        var filled = 0
        while true {
            if filled == bytes.count {
                guard bytes.count <= limit else { throw Failure("read", path, reason: "more than \(limit) bytes (the file grew while it was read)") }
                bytes.append(contentsOf: repeatElement(0, count: min(max(bytes.count, 4096), limit + 1 - bytes.count)))
            }
            let count = bytes.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0 {
                if errno == EINTR { continue }
                throw Failure("read", path)
            }
            if count == 0 { break }
            filled += count
        }
        return Data(bytes[..<filled])
    }

    /// A file someone named (`--trusted-root`, `--registry-keys`, `--policy`...), read as `read`
    /// reads it: bounded, and never from a FIFO or a device, which would hang or fill memory. A
    /// missing file is a failure too.
    public static func readNamed(_ path: String, limit: Int) throws(Failure) -> Data {
        guard let data = try read(path, limit: limit) else { throw Failure("open", path, errno: ENOENT) }
        return data
    }
}
