import FixtureTesting
import Foundation

/// Small helpers shared by the TUF fixture tests.
enum TUFTestSupport {
    /// `npm root -g` without running npm: the folder holding the global `npm` package.
    static func npmGlobalRoot() -> String? {
        guard let npm = ProcessRunner.which("npm") else { return nil }
        let resolved = npm.resolvingSymlinksInPath()  // …/lib/node_modules/npm/bin/npm-cli.js
        var url = resolved
        while url.path != "/" {
            if url.lastPathComponent == "npm", url.deletingLastPathComponent().lastPathComponent == "node_modules" {
                return url.deletingLastPathComponent().path
            }
            url = url.deletingLastPathComponent()
        }
        return nil
    }

    /// A minimal but schema-valid Sigstore trusted root (protobuf-specs `TrustedRoot.fromJSON` accepts it).
    static let trustedRoot = Data("""
    {
      "mediaType": "application/vnd.dev.sigstore.trustedroot+json;version=0.1",
      "tlogs": [],
      "certificateAuthorities": [],
      "ctlogs": [],
      "timestampAuthorities": []
    }

    """.utf8)
}
