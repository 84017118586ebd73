import FoundationEssentials
import Glibc

/// A one-line account of an error from the operating system or FoundationEssentials' file APIs:
/// the POSIX reason (`strerror`) and the file it concerns, e.g. `Not a directory (/a/b)`; any
/// other error as it describes itself.
public func systemErrorText(_ error: any Error) -> String {
    if let posix = error as? POSIXError { return String(cString: strerror(posix.code.rawValue)) }
    guard let cocoa = error as? CocoaError else { return String(describing: error) }
    let reason = (cocoa.underlying as? POSIXError).map { String(cString: strerror($0.code.rawValue)) }
        ?? "file error \(cocoa.code.rawValue)"
    return cocoa.filePath.map { "\(reason) (\($0))" } ?? reason
}
