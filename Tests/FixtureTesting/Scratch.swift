public import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
public import Darwin
#endif

/// Temporary folders for tests. Every folder lives under one root per test process,
/// `$TMPDIR/mochi-tests-<pid>-<random>`, removed when the process exits, so a crash leaves at most
/// that one folder (and the next run removes roots whose process is gone). Per-test folders are
/// removed as soon as the test is done with them: `withScratch { folder in … }`, or
/// `let folder = try Scratch.folder("x")` with `defer { Scratch.remove(folder) }`.
public enum Scratch {
    static let prefix = "mochi-tests-"

    /// This process's root (created on first use, symbolic links resolved).
    public static let root: URL = {
        let temporary = FileManager.default.temporaryDirectory.resolvingSymlinksInPath()
        removeAbandonedRoots(in: temporary)
        let url = temporary.appendingPathComponent("\(prefix)\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.root) }
        return url
    }()

    /// A new, empty, created folder under the root, named after `label`.
    public static func folder(_ label: String = "scratch") throws -> URL {
        let url = path(label)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A new path under the root that nothing exists at yet (not created): for a file or a folder
    /// that something else creates.
    public static func path(_ label: String = "scratch") -> URL {
        root.appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
    }

    /// Puts the executable `source` at `destination`: a hard link where the file system allows one,
    /// so nothing is written. A copy is written through a descriptor that other tests' spawns can
    /// inherit for a moment (even a close-on-exec one, between their fork and exec), and executing
    /// the copy then fails with ETXTBSY (seen in CI runs).
    public static func copyExecutable(_ source: URL, to destination: URL) throws {
        if link(source.path, destination.path) == 0 { return }
        let data = try Data(contentsOf: source)
        let file = open(destination.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o755)
        guard file >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path]) }
        defer { close(file) }
        var offset = 0
        while offset < data.count {
            let written = data.withUnsafeBytes { write(file, $0.baseAddress! + offset, data.count - offset) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination.path]) }
            offset += written
        }
    }

    /// Removes a scratch file or folder (no error when it is already gone).
    public static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Roots left by test processes that no longer run (a crash, a kill -9).
    private static func removeAbandonedRoots(in temporary: URL) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: temporary.path) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = name.dropFirst(prefix.count).split(separator: "-").first.flatMap({ pid_t($0) }), pid > 0,
                  kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }
}

/// Runs `body` with a new, created scratch folder and removes the folder afterwards.
public func withScratch<T>(_ label: String = "scratch", _ body: (URL) throws -> T) throws -> T {
    let folder = try Scratch.folder(label)
    defer { Scratch.remove(folder) }
    return try body(folder)
}

/// Runs `body` with a new, created scratch folder and removes the folder afterwards.
public func withScratch<T>(_ label: String = "scratch", _ body: (URL) async throws -> T) async throws -> T {
    let folder = try Scratch.folder(label)
    defer { Scratch.remove(folder) }
    return try await body(folder)
}
