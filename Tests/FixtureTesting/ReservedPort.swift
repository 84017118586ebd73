import Foundation
import Glibc
import Synchronization

/// A loopback TCP port held by a bound socket. Not listening, connecting to it is refused, and
/// while it is held no parallel test's server can be given the same port; after ``listen()`` it
/// takes connections and never answers (a registry that hangs).
public final class ReservedPort: @unchecked Sendable {
    public let port: Int
    private let descriptor: Int32
    private let closed = Mutex(false)

    public init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(descriptor, pointer, length) == 0 && getsockname(descriptor, pointer, &length) == 0
            }
        }
        guard descriptor >= 0, bound else {
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            throw POSIXError(.EADDRNOTAVAIL)
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts taking connections (into the kernel's backlog; nothing is ever answered).
    public func listen() throws {
        guard Glibc.listen(descriptor, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
    }

    /// Waits, on a thread of its own, until a client has connected and sent its first bytes; the
    /// connection is returned open (close it when done): an event to synchronise on.
    public func firstRequest() async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { [descriptor] in
                let client = accept(descriptor, nil, nil)
                var buffer = [UInt8](repeating: 0, count: 512)
                _ = read(client, &buffer, buffer.count)
                continuation.resume(returning: client)
            }
        }
    }

    /// Gives the port back (also when the object goes away); closing twice closes once.
    public func close() {
        guard !closed.withLock({ let was = $0; $0 = true; return was }) else { return }
        _ = Glibc.close(descriptor)
    }

    deinit { close() }
}
