import Foundation
import NpmModel

// NpmModel: `Lockfile(data:file:)`; what decodes must serialise and decode again to the same lockfile.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let lockfile = try? Lockfile(data: fuzzData(start, count), file: "package-lock.json") else { return 0 }
    for path in lockfile.packages.keys {
        _ = Lockfile.packageName(atPath: path)
        _ = Lockfile.isValidInstallPath(path)
    }
    let out = lockfile.serialized()
    guard let again = try? Lockfile(data: out, file: "package-lock.json (rewritten)") else {
        fatalError("serialized lockfile does not decode: \(String(decoding: out.prefix(300), as: UTF8.self))")
    }
    _ = again
    return 0
}
