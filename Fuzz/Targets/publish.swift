import Foundation
import SafeJSON

// FixtureRegistry: the `PUT /<name>` publish body as the registry checks it — parsed with the
// registry's depth limit, `PublishRequest.isPublish`, then `PublishRequest(body:for:)` for the name in
// the body (or `@mochi/example`). Compiled into this module together with the handful of
// FixtureRegistry files the parser needs (see Fuzz/build.sh), so no Hummingbird is involved.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = fuzzData(start, count)
    guard data.count <= RegistryLimits.maxPublishBodyBytes,
          let object = (try? JSONValue.parse(data, maxDepth: RegistryLimits.maxJSONDepth))?.objectValue else { return 0 }
    var names: [PackageName] = []
    if let text = object["name"]?.stringValue, let name = try? PackageName(text) { names.append(name) }
    if let name = try? PackageName("@mochi/example") { names.append(name) }
    _ = PublishRequest.isPublish(object)
    for name in names {
        _ = name.description
        guard let request = try? PublishRequest(body: object, for: name) else { continue }
        _ = request.tags
        _ = TarballDigest(of: request.tarball).integrity
    }
    return 0
}
