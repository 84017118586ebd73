import Integrity
import NpmModel
import NpmVerify
import RegistryClient

/// Why an install stopped. Each kind maps to one documented exit code.
public struct InstallError: Error, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Integrity (later: signatures, provenance) did not verify. Exit 1.
        case verification
        /// Bad arguments, package.json, lockfile or configuration. Exit 2.
        case usage
        /// The registry or the network failed or lacks what was asked. Exit 3.
        case registry
        /// The local file system failed. Exit 4.
        case fileSystem
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The process exit code for this failure.
    public var exitCode: Int32 {
        switch kind {
        case .verification: 1
        case .usage: 2
        case .registry: 3
        case .fileSystem: 4
        }
    }

    /// Classifies any error raised below the installer.
    public static func wrap(_ error: any Error) -> InstallError {
        switch error {
        case let e as InstallError: e
        case let e as IntegrityMismatch: InstallError(.verification, e.description)
        case let e as RegistryError: InstallError(.registry, e.description)
        case let e as NpmModelError: InstallError(.usage, e.description)
        case let e as IntegrityError: InstallError(.verification, e.description)
        case let e as NpmVerifyError: InstallError(.verification, e.message)
        case is CancellationError: InstallError(.registry, "install cancelled")
        default: InstallError(.fileSystem, "\(error)")
        }
    }
}
