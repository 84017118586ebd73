import Foundation
public import SafeJSON

/// One of npm's own modules, run by node, as the witness of how npm reads something: the script
/// gets the module's path as `process.argv[2]` and the cases (JSON) on stdin, and prints JSON.
public enum NodeWitness {
    /// What `script` printed for `cases` with npm's `module`; throws when node, npm or the module is missing.
    public static func run(_ script: String, module: String, cases: JSONValue) async throws -> JSONValue {
        guard let modules = await NpmInstallation.modules(), let node = ProcessRunner.which("node"), let shell = ProcessRunner.which("sh") else {
            throw WitnessError("node and npm's own modules are needed")
        }
        let folder = try Scratch.folder("node-witness")
        defer { Scratch.remove(folder) }
        try Data(script.utf8).write(to: folder.appendingPathComponent("witness.js"))
        try cases.serialized().write(to: folder.appendingPathComponent("cases.json"))
        let run = try await ProcessRunner.run(shell, ["-c", "\"$0\" witness.js \"$1\" < cases.json", node.path,
                                                      modules.appendingPathComponent(module).path], in: folder)
        guard run.status == 0 else { throw WitnessError("node: \(run.stderr)") }
        return try JSONValue.parse(Data(run.stdout.utf8))
    }

    public struct WitnessError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
