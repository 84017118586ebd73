import ArgumentParser
import FoundationEssentials
import Installer
import NpmModel

/// How every verify-install command ends in failure: the error printed once on stderr, then the
/// exit code its kind documents (`InstallError.Kind.exitCode`, the one mapping).
enum CommandFailure: Error, CustomStringConvertible {
    /// Bad or unreadable input (exit 2).
    case usage(String)

    var description: String {
        switch self {
        case .usage(let message): message
        }
    }

    /// Prints `error` on stderr and returns the `ExitCode` of `kind` to throw.
    static func report(_ error: any Error, as kind: InstallError.Kind, prefix: String = "") -> ExitCode {
        StandardStream.error.write("error: \(TerminalText.escaped("\(prefix)\(error)"))\n")
        return exit(kind)
    }

    /// The `ExitCode` of `kind`, for a failure already reported (a report that did not pass).
    static func exit(_ kind: InstallError.Kind) -> ExitCode { ExitCode(kind.exitCode) }
}
