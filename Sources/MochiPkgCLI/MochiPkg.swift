import ArgumentParser
import CommandLineExit
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
    /// Argument errors end with the documented exit code 2 (usage), not ArgumentParser's 64 (found by review).
    static func main() async {
        await mainMappingUsage(to: 2) { full, _ in FileHandle.standardError.write(Data((full + "\n").utf8)) }
    }
}

/// Prints a failure on stderr and returns the exit code to throw.
func fail(_ message: String, exitCode: Int32) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(exitCode)
}
