public import FoundationEssentials
import Glibc
public import OpenSSLCrypto

/// Digests of files, read in chunks so that a large tarball never sits in memory whole.
public enum FileDigest {
    static let chunkSize = 1 << 20

    /// The digest of the regular file at `file` (a final symlink is not followed); nil when unreadable.
    public static func hash(_ algorithm: DigestAlgorithm, file: URL) -> [UInt8]? {
        let descriptor = open(file.path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        let digest = Digest(algorithm)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer.baseAddress!, chunkSize)
            if count < 0 { if errno == EINTR { continue } else { return nil } }
            if count == 0 { return digest.finalize() }
            digest.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }
}
