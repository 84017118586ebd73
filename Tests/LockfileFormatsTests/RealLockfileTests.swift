import FixtureTesting
import Foundation
import Integrity
import LockfileFormats
import Testing
import OpenSSLCrypto

/// Real lockfiles from public repositories (Fixtures/SOURCE.md): every entry is read as its format defines it.
@Suite struct RealLockfileTests {
    static let fixtures = Repository.root.appendingPathComponent("Tests/LockfileFormatsTests/Fixtures")

    static func read(_ fixture: String, as name: String) throws -> (ParsedLockfile, [Substring]) {
        let data = try Data(contentsOf: fixtures.appendingPathComponent(fixture))
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        return (try LockfileReader().read(data, fileName: name), text.split(separator: "\n", omittingEmptySubsequences: false))
    }

    /// npm's tarball URL names the package and version: `<registry>/<name>/-/<unscoped>-<version>.tgz`.
    static func expectTarball(_ resolved: String?, names package: LockedPackage) {
        let unscoped = package.name.split(separator: "/").last.map(String.init) ?? package.name
        #expect(resolved?.contains("/\(package.name)/-/\(unscoped)-\(package.version).tgz") == true, "\(package.key): \(resolved ?? "nil")")
    }

    @Test func packageLockV3EveryEntryMatchesItsJSON() throws {
        let (lock, lines) = try Self.read("npm-v3.package-lock.json", as: "package-lock.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixtures.appendingPathComponent("npm-v3.package-lock.json"))) as! [String: Any]
        let packages = (json["packages"] as! [String: [String: Any]]).filter { !$0.key.isEmpty }
        #expect(lock.format == .npm && lock.formatVersion == "3")
        #expect(lock.packages.count == packages.count)
        for package in lock.packages {
            let entry = try #require(packages[package.key])
            #expect(package.name == String(package.key.split(separator: "node_modules/").last ?? ""))
            #expect(package.version == entry["version"] as? String)
            #expect(package.resolved == entry["resolved"] as? String)
            #expect(package.integrity == entry["integrity"] as? String)
            #expect(package.kind == .registry)
            Self.expectTarball(package.resolved, names: package)
            #expect(try SubresourceIntegrity(package.integrity ?? "").strongestAlgorithm == .sha512)
            #expect(lines[package.line - 1].contains("\"\(package.key)\": {"))
        }
    }

    @Test func packageLockV1TreeAgreesWithTheV2PackagesOfTheSameFile() throws {
        let url = Self.fixtures.appendingPathComponent("npm-v2.package-lock.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        let (v2, _) = try Self.read("npm-v2.package-lock.json", as: "package-lock.json")
        json["packages"] = nil
        json["lockfileVersion"] = 1
        let v1 = try LockfileReader().read(try JSONSerialization.data(withJSONObject: json), fileName: "package-lock.json")
        #expect(v2.formatVersion == "2" && v1.formatVersion == "1")
        #expect(v1.packages.count == 116 && v2.packages.count == 116)
        let byKey = Dictionary(uniqueKeysWithValues: v2.packages.map { ($0.key, $0) })
        for package in v1.packages {
            let same = try #require(byKey[package.key], "\(package.key) missing from packages")
            #expect(package.name == same.name && package.version == same.version)
            #expect(package.resolved == same.resolved && package.integrity == same.integrity)
            #expect(package.kind == same.kind)
        }
    }

    @Test func pnpmV6EveryPackageKeyAndResolution() throws {
        let (lock, lines) = try Self.read("pnpm-v6.pnpm-lock.yaml", as: "pnpm-lock.yaml")
        #expect(lock.format == .pnpm && lock.formatVersion == "6.0")
        #expect(lock.packages.count == lines.count { $0.hasPrefix("  /") })
        for package in lock.packages {
            #expect(package.kind == .registry)
            let header = lines[package.line - 1]
            #expect(header.hasPrefix("  /\(package.name)@\(package.version)"), "\(header)")
            #expect(lines[package.line].contains("resolution: {integrity: \(package.integrity ?? "?")}"))
        }
        let prisma = try #require(lock.packages.first { $0.key == "/@prisma/client@4.16.2(prisma@4.16.2)" })
        #expect(prisma.name == "@prisma/client" && prisma.version == "4.16.2")
    }

    @Test func yarnClassicEveryBlock() throws {
        let (lock, lines) = try Self.read("yarn-v1.yarn.lock", as: "yarn.lock")
        #expect(lock.format == .yarnClassic)
        #expect(lock.packages.count == lines.count { !$0.isEmpty && !$0.hasPrefix(" ") && !$0.hasPrefix("#") })
        for package in lock.packages {
            let block = lines[package.line...].prefix { !$0.isEmpty }
            #expect(block.contains("  version \"\(package.version)\""))
            #expect(block.contains("  resolved \"\(package.resolved ?? "?")\""))
            #expect(block.contains("  integrity \(package.integrity ?? "?")"))
            #expect(lines[package.line - 1].hasPrefix(package.name.hasPrefix("@") ? "\"\(package.name)@" : package.name) ||
                    lines[package.line - 1].hasPrefix("\"\(package.name)@"))
            Self.expectTarball(package.resolved, names: package)
        }
        #expect(lines.count > 3000, "the fixture has Windows line ends: one line per line still")
        let generator = try #require(lock.packages.first { $0.name == "@babel/generator" })
        #expect(generator.version == "7.7.4" && generator.key == "@babel/generator@^7.4.0, @babel/generator@^7.7.4")
    }

    @Test func yarnBerryEntriesAndChecksums() throws {
        let (lock, _) = try Self.read("yarn-berry.yarn.lock", as: "yarn.lock")
        #expect(lock.format == .yarnBerry && lock.formatVersion == "8")
        #expect(lock.packages.map(\.id) == ["@000alen/toposort@0.0.0-use.local", "diff@1.0.8", "eyes@0.1.8", "vows@0.7.0"])
        #expect(lock.packages[0].kind == .notVerifiable("workspace package (workspace:.)"))
        #expect(lock.packages[1].berryChecksum == "10c0/97bab57c4710519c5bfc2dc8c06bc5a83684fb12111c68e0f03eebe71660c9d2c2db4a00d7c99b0d1dbb53c4cae08c7cab0c0527ef123ef05335f780bff1a5db")
        #expect(lock.packages[1].integrity == nil && lock.packages[1].resolved == "diff@npm:1.0.8" && lock.packages[1].line == 16)
        #expect(lock.packages.dropFirst().allSatisfy { $0.kind == .registry && $0.berryChecksum?.hasPrefix("10c0/") == true })
    }

    @Test func bunLockEveryPackage() throws {
        let (lock, lines) = try Self.read("bun.lock", as: "bun.lock")
        #expect(lock.format == .bun && lock.formatVersion == "1")
        for package in lock.packages {
            let line = lines[package.line - 1]
            #expect(line.hasPrefix("    \"\(package.key)\": [\""), "\(line)")
            if package.kind == .registry {
                #expect(line.contains("[\"\(package.name)@\(package.version)\", \"\", {"))
                #expect(line.hasSuffix("\"\(package.integrity ?? "?")\"],"))
            }
        }
        let others = lock.packages.filter { $0.kind != .registry }.map { "\($0.name) \(NonRegistryEntryTests.reason($0.kind))" }.sorted()
        #expect(others == ["@linklens/api workspace package (workspace:apps/api)", "@linklens/web workspace package (workspace:apps/web)"])
        let aliases = lock.packages.filter { $0.installedAs != nil }.map { "\($0.installedAs ?? "") \($0.id)" }.sorted()
        #expect(aliases == ["string-width-cjs string-width@4.2.3", "strip-ansi-cjs strip-ansi@6.0.1", "wrap-ansi-cjs wrap-ansi@7.0.0"])
        let nested = lock.packages.filter { $0.key.contains("/") && !$0.key.hasPrefix("@") }
        #expect(nested.allSatisfy { $0.key.hasSuffix("/" + ($0.installedAs ?? $0.name)) })
    }
}
