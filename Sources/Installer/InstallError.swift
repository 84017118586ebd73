public import CodedError
import FoundationEssentials
import Integrity
import NpmModel
import NpmVerify
import RegistryClient

/// Why an install stopped. Each kind maps to one documented exit code.
public struct InstallError: CodedError, Sendable {
    public enum Kind: Sendable, Hashable {
        /// Integrity, signatures or provenance did not verify. Exit 1.
        case verification
        /// Bad arguments, package.json, lockfile or configuration. Exit 2.
        case usage
        /// The registry or the network failed or lacks what was asked. Exit 3.
        case registry
        /// The local file system failed. Exit 4.
        case fileSystem
        /// An error no rule classifies: a bug in verify-install. Exit 5.
        case `internal`
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) { (self.kind, self.message) = (kind, message) }

    /// The kind is the code.
    public var code: Kind { kind }

    /// The process exit code for this failure.
    public var exitCode: Int32 { kind.exitCode }

    /// Classifies any error raised below the installer; an error no rule knows is internal.
    public static func wrap(_ error: any Error) -> InstallError {
        switch error {
        case let e as InstallError: e
        case let e as IntegrityMismatch: InstallError(.verification, e.description)
        case let e as RegistryError: InstallError(.registry, e.description)
        case let e as NpmModelError: InstallError(.usage, e.description)
        case let e as IntegrityError: InstallError(.verification, e.description)
        case let e as NpmVerifyError: InstallError(.verification, e.message)
        case is CancellationError: InstallError(.registry, "install cancelled")
        case _ where isFileSystem(error): InstallError(.fileSystem, "\(error)")
        default: InstallError(.internal, "\(error)")
        }
    }

    /// Whether `error` is the operating system's or Foundation's report of a file operation.
    static func isFileSystem(_ error: any Error) -> Bool {
        error is CocoaError || error is POSIXError
    }
}

extension InstallError.Kind {
    /// The documented process exit code of this kind of failure: the one mapping every
    /// verify-install command uses.
    public var exitCode: Int32 {
        switch self {
        case .verification: 1
        case .usage: 2
        case .registry: 3
        case .fileSystem: 4
        case .internal: 5
        }
    }
}
