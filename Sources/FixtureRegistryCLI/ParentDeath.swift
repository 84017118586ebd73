import Glibc

/// `serve --exit-with-parent`: the kernel sends SIGTERM when the parent dies (`PR_SET_PDEATHSIG`),
/// which stops the world and removes its temporary folder like any SIGTERM.
enum ParentDeath {
    /// Arms the death signal, then exits (status 1) if the parent died before it was armed: the
    /// process was then re-parented, so `getppid()` no longer is `parent` (default: the parent now).
    static func follow(parent: Int32?) {
        let expected = parent ?? getppid()
        guard setDeathSignal(SIGTERM) else {
            fail("prctl(PR_SET_PDEATHSIG) failed (errno \(errno))")
        }
        if getppid() != expected {
            fail("parent \(expected) is gone")
        }
    }

    private static func fail(_ message: String) -> Never {
        let line = Array("fixture-registry: --exit-with-parent: \(message)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(1)
    }

    /// `prctl(PR_SET_PDEATHSIG, signal)` (option 1 in linux/prctl.h). prctl is variadic, which Swift does not import: it is
    /// called through its address with the four unsigned-long arguments the kernel reads.
    private static func setDeathSignal(_ signal: Int32) -> Bool {
        typealias Prctl = @convention(c) (Int32, UInt, UInt, UInt, UInt) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "prctl") else { return false }
        let prctl = unsafeBitCast(symbol, to: Prctl.self)
        return prctl(1, UInt(signal), 0, 0, 0) == 0
    }
}
