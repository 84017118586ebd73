public import Foundation
import SafeJSON
public import CodedError

/// Finds the version folder to build: a folder holding `package.json` is used as is; a seed
/// package folder (`Registry/packages/@mochi/example`, with `dist-tags.json`) resolves to
/// the version its `latest` tag names.
public enum PackageSource {
    public static func resolve(_ folder: URL) throws(PublishError) -> URL {
        let fm = FileManager.default
        if fm.fileExists(atPath: folder.appendingPathComponent("package.json").path) { return folder }
        let tagsFile = folder.appendingPathComponent("dist-tags.json")
        guard let data = fm.contents(atPath: tagsFile.path) else {
            throw PublishError(.invalidPackage, "expected \(folder.path) to hold package.json (a version folder) or dist-tags.json (a seed package), found neither")
        }
        guard let latest = (try? JSONValue.parse(data))?["latest"]?.stringValue, !latest.isEmpty,
              !latest.contains("/"), latest != ".", latest != ".." else {
            throw PublishError(.invalidPackage, "expected a \"latest\" version in \(tagsFile.path)")
        }
        return folder.appendingPathComponent(latest)
    }
}
