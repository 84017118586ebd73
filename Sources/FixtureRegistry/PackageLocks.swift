import Synchronization

/// One lock per package name, so that publishes to one package are serialised while
/// different packages are written in parallel. Locks are created on first use and kept
/// (one small object per package the registry has seen).
final class PackageLocks: Sendable {
    /// The lock of one package.
    final class Lock: Sendable {
        private let mutex = Mutex<Void>(())

        /// Runs `body` holding the lock.
        func withLock<T>(_ body: (()) throws(RegistryError) -> T) throws(RegistryError) -> T {
            try mutex.withLock { _ throws(RegistryError) -> T in try body(()) }
        }
    }

    private let table = Mutex<[PackageName: Lock]>([:])

    /// The lock of `name`.
    func lock(for name: PackageName) -> Lock {
        table.withLock { table in
            if let lock = table[name] { return lock }
            let lock = Lock()
            table[name] = lock
            return lock
        }
    }
}
