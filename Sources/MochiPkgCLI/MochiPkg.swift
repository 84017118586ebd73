import ArgumentParser
import Foundation

/// `mochi-pkg`: the publisher side of the Mochi packaging tools.
@main
struct MochiPkg: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mochi-pkg",
        abstract: "Mochi packaging: publish Mochi projects to package registries.",
        discussion: """
            Examples:
              mochi-pkg publish --target=npm-library             write the workflow
              mochi-pkg publish --target=npm-library --force     overwrite an edited one
              mochi-pkg publish --target=npm-library --fixture   run the job locally

            Exit codes: 0 success, 1 refused or failed (e.g. an edited workflow without --force), 2 usage error.
            """,
        subcommands: [PublishCommand.self]
    )
}

extension MochiPkg {
    /// Runs the command, mapping argument errors to the documented exit code 2 (usage) instead of
    /// ArgumentParser's 64 (found by review).
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                exit(withError: ExitCode(2))
            }
            exit(withError: error)
        }
    }
}

/// Prints a failure on stderr and returns the exit code to throw.
func fail(_ message: String, exitCode: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(exitCode)
}
