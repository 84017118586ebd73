import ArgumentParser
import Foundation
import NpmModel

/// A verification subcommand's failure: printed once on stderr, then the documented exit code.
enum CommandFailure: Error, CustomStringConvertible {
    /// Bad or unreadable input (exit 2).
    case usage(String)

    var description: String {
        switch self {
        case .usage(let message): message
        }
    }

    /// Prints `error` on stderr and returns the `ExitCode` to throw.
    static func report(_ error: any Error, exitCode: Int32, prefix: String = "") -> ExitCode {
        FileHandle.standardError.write(Data("error: \(TerminalText.escaped("\(prefix)\(error)"))\n".utf8))
        return ExitCode(exitCode)
    }
}
