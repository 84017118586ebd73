import Foundation

/// The fixture world's `@mochi/example` 1.1.0 → `@mochi/runtime` ^1.0.0 (1.2.0), written as each
/// package manager writes its lockfile.
struct WorldLockfiles {
    struct Locked {
        let name: String
        let version: String
        var tarball: String
        var integrity: String
    }

    var example: Locked
    var runtime: Locked

    /// Every format: (file name, label, text).
    var all: [(file: String, label: String, text: String)] {
        [("package-lock.json", "npm v3", npmV3), ("package-lock.json", "npm v1", npmV1), ("npm-shrinkwrap.json", "shrinkwrap v2", npmV3.replacingOccurrences(of: "\"lockfileVersion\": 3", with: "\"lockfileVersion\": 2")),
         ("pnpm-lock.yaml", "pnpm v9", pnpmV9), ("pnpm-lock.yaml", "pnpm v6", pnpmV6), ("yarn.lock", "yarn v1", yarnV1),
         ("yarn.lock", "yarn berry", berry), ("bun.lock", "bun", bun)]
    }

    var npmV3: String {
        """
        {
          "name": "app",
          "lockfileVersion": 3,
          "requires": true,
          "packages": {
            "": {
              "name": "app",
              "dependencies": {
                "@mochi/example": "^1.1.0"
              }
            },
            "node_modules/@mochi/example": {
              "version": "\(example.version)",
              "resolved": "\(example.tarball)",
              "integrity": "\(example.integrity)",
              "dependencies": {
                "@mochi/runtime": "^1.0.0"
              }
            },
            "node_modules/@mochi/runtime": {
              "version": "\(runtime.version)",
              "resolved": "\(runtime.tarball)",
              "integrity": "\(runtime.integrity)"
            }
          }
        }
        """
    }

    var npmV1: String {
        """
        {
          "name": "app",
          "lockfileVersion": 1,
          "requires": true,
          "dependencies": {
            "@mochi/example": {
              "version": "\(example.version)",
              "resolved": "\(example.tarball)",
              "integrity": "\(example.integrity)",
              "requires": {
                "@mochi/runtime": "^1.0.0"
              }
            },
            "@mochi/runtime": {
              "version": "\(runtime.version)",
              "resolved": "\(runtime.tarball)",
              "integrity": "\(runtime.integrity)"
            }
          }
        }
        """
    }

    var pnpmV9: String {
        """
        lockfileVersion: '9.0'

        settings:
          autoInstallPeers: true
          excludeLinksFromLockfile: false

        importers:

          .:
            dependencies:
              '@mochi/example':
                specifier: ^1.1.0
                version: \(example.version)

        packages:

          '@mochi/example@\(example.version)':
            resolution: {integrity: \(example.integrity)}

          '@mochi/runtime@\(runtime.version)':
            resolution: {integrity: \(runtime.integrity)}

        snapshots:

          '@mochi/example@\(example.version)':
            dependencies:
              '@mochi/runtime': \(runtime.version)

          '@mochi/runtime@\(runtime.version)': {}

        """
    }

    var pnpmV6: String {
        """
        lockfileVersion: '6.0'

        dependencies:
          '@mochi/example':
            specifier: ^1.1.0
            version: \(example.version)

        packages:

          /@mochi/example@\(example.version):
            resolution: {integrity: \(example.integrity)}
            dependencies:
              '@mochi/runtime': \(runtime.version)
            dev: false

          /@mochi/runtime@\(runtime.version):
            resolution: {integrity: \(runtime.integrity)}
            dev: false

        """
    }
}
