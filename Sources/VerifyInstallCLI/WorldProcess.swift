import ChildProcess
import FoundationEssentials
import Glibc
import Installer
import SafeJSON

/// The fixture world verify-install uses when no registry is configured: `fixture-registry serve`
/// run as a child process from verify-install's own folder, so this binary carries no server stack.
/// The child dies with us (`--exit-with-parent`), gets SIGTERM and is waited for by ``stop()`` or
/// when we get SIGINT or SIGTERM (``Interrupts``), and removes its temporary folder itself.
final class WorldProcess: Sendable {
    /// The world's registry, its TUF repository and the root a TUF client of it starts from.
    let registryURL: String
    let tufURL: String
    let tufRoot: Data
    /// The TUF target holding the registry's keys (`<host:port>/keys.json`).
    let registryKeysTarget: String
    /// The world's folder, removed by the child when it stops.
    let storage: URL
    private let child: ChildProcess

    private init(_ announcement: [String: JSONValue], child: ChildProcess, executable: String) throws {
        func field(_ key: String) throws -> String {
            guard let value = announcement[key]?.stringValue else {
                throw InstallError(.internal, "\(executable) serve announced no \"\(key)\" (it must come from the same build as verify-install)")
            }
            return value
        }
        (registryURL, tufURL, registryKeysTarget) = (try field("registry"), try field("tuf"), try field("registryKeysTarget"))
        storage = URL(fileURLWithPath: try field("storage"), isDirectory: true)
        let rootFile = try field("tufRoot")
        do { tufRoot = try Data(contentsOf: URL(fileURLWithPath: rootFile)) } catch {
            throw InstallError(.fileSystem, "cannot read the fixture world's TUF root \(rootFile): \(error)")
        }
        self.child = child
    }

    /// Starts `fixture-registry serve` beside this executable and waits for its announcement line.
    /// - Parameter verbose: the world's log goes to our stderr (else only its tail, in an error).
    static func start(verbose: Bool) async throws -> WorldProcess {
        let executable = try serveExecutable()
        let stdout = FirstLine(), stderr = StreamTail(echo: verbose)
        let arguments = ["serve", "--exit-with-parent", "--parent-pid", "\(getpid())", "--log-level", verbose ? "info" : "warning"]
        let child = try await KeeperThread.spawn {
            try ChildProcess.spawn(executable, arguments, environment: ProcessInfo.processInfo.environment,
                                   output: .pipe(stdout.feed), error: .pipe(stderr.feed))
        }
        Interrupts.onInterrupt {
            child.signal(SIGTERM)
            _ = child.waitBlocking()
        }
        do {
            guard let line = await stdout.line() else {
                let termination = await child.wait()
                await child.waitForOutput()
                throw InstallError(.registry, "the fixture world (\(executable) serve) ended (\(termination)) before it listened; "
                    + "its stderr ends: \(stderr.text.isEmpty ? "(nothing)" : stderr.text)")
            }
            guard let object = (try? JSONValue.parse(Data(line.utf8), maxDepth: 8))?.objectValue else {
                throw InstallError(.internal, "\(executable) serve printed no JSON object: \(line.prefix(200))")
            }
            return try WorldProcess(object, child: child, executable: executable)
        } catch {
            await stop(child)
            throw error
        }
    }

    /// SIGTERM, then waits until the child exited (its folder is gone then).
    func stop() async { await Self.stop(child) }

    private static func stop(_ child: ChildProcess) async {
        child.signal(SIGTERM)
        _ = await child.wait()
    }

    /// `fixture-registry` in the folder of the running executable.
    static func serveExecutable() throws -> String {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let path = URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("fixture-registry").path
        guard access(path, X_OK) == 0 else {
            throw InstallError(.usage, "no registry configured, and `fixture-registry` (the fixture world) was not found beside "
                + "verify-install at \(path): pass --registry URL or set registry= in .npmrc")
        }
        return path
    }
}
