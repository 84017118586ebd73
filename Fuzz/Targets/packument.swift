import Foundation
import NpmModel
import SafeJSON

// NpmModel: `Packument(data:requestedName:)` (requested name = the document's own name, so that
// the versions are decoded), and `Manifest(json:context:)` on the document and on each version.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = fuzzData(start, count)
    let json = try? JSONValue.parse(data)
    let name = json?["name"]?.stringValue ?? "fuzz-package"
    _ = try? Packument(data: data, requestedName: "other-package")
    if let packument = try? Packument(data: data, requestedName: name) {
        for manifest in packument.versions.values {
            _ = manifest.binPaths
            _ = manifest.dist.signatures.count
        }
        _ = packument.skippedVersions.count
    }
    if let json {
        if let manifest = try? Manifest(json: json, context: "fuzz") { _ = manifest.binPaths }
        for entry in json["versions"]?.objectValue?.values.map({ $0 }) ?? [] {
            _ = try? Manifest(json: entry, context: "fuzz")
        }
    }
    return 0
}
