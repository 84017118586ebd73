import FixtureTesting
import Foundation
import Integrity
import OpenSSLCrypto
import NpmModel
import Testing
import CodedError
import SafeJSON

@Suite struct PackumentTests {
    /// pacote's recorded abbreviated packuments (shared vectors), read where CI has them.
    static let vectors = Repository.vector("npm-real/pacote")

    @Test func decodesRealAbbreviatedPackumentToleratingUnknownFields() throws {
        let file = Self.vectors.appendingPathComponent("abbrev-packument-full.json")
        let data = try Data(contentsOf: file)
        let json = try JSONValue.parse(data)
        let name = try #require(json["name"]?.stringValue)
        let packument = try Packument(data: data, requestedName: name)
        #expect(!packument.versions.isEmpty)
        #expect(packument.distTags["latest"].map { packument.versions[$0] != nil } == true)
    }

    @Test func skipsVersionsWhoseNameOrVersionDisagree() throws {
        let json: JSONValue = [
            "name": "x", "dist-tags": ["latest": "1.0.0"],
            "versions": [
                "1.0.0": ["name": "x", "version": "1.0.0", "dist": ["tarball": "http://r/x.tgz"], "future": ["field": true]],
                "2.0.0": ["name": "evil", "version": "2.0.0", "dist": ["tarball": "http://r/evil.tgz"]],
                "3.0.0": ["name": "x", "version": "3.0.0"],
            ],
        ]
        let packument = try Packument(json: json, requestedName: "x")
        #expect(Array(packument.versions.keys) == ["1.0.0"])
    }

    @Test func refusesPackumentForAnotherName() {
        #expect(throws: NpmModelError.self) { try Packument(json: ["name": "other"], requestedName: "x") }
    }

    @Test func refusesJSONNestedTooDeep() {
        let deep = Data((String(repeating: "[", count: 500) + String(repeating: "]", count: 500)).utf8)
        #expect(throws: JSONDepthGuard.TooDeep.self) { try JSONValue.parse(deep) }
    }
}

@Suite struct LockfileTests {
    @Test func roundTripsVersion3WithRootFirstAndSortedPaths() throws {
        var dep = Lockfile.Entry(version: "1.0.0", resolved: "http://r/a/-/a-1.0.0.tgz", integrity: "sha512-AAAA")
        dep.dependencies = ["b": "^2"]
        var root = Lockfile.Entry(version: "0.1.0")
        root.name = "app"
        root.dependencies = ["a": "^1"]
        let lock = Lockfile(name: "app", version: "0.1.0", packages: [
            "node_modules/z": Lockfile.Entry(version: "1.0.0"), "": root, "node_modules/a": dep,
        ])
        let text = String(decoding: lock.serialized(), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"name\": \"app\",\n  \"version\": \"0.1.0\",\n  \"lockfileVersion\": 3,\n  \"requires\": true,\n  \"packages\": {\n    \"\": {"))
        #expect(text.range(of: "node_modules/a")!.lowerBound < text.range(of: "node_modules/z")!.lowerBound)
        #expect(try Lockfile(data: lock.serialized(), file: "x") == lock)
    }

    @Test func refusesLockfileVersion1() {
        let v1 = Data(#"{"name":"x","lockfileVersion":1,"dependencies":{}}"#.utf8)
        #expect { try Lockfile(data: v1, file: "package-lock.json") } throws: { ($0 as? NpmModelError)?.code == .unsupportedLockfile }
    }

    @Test func namesPackageFromNestedInstallPath() {
        #expect(Lockfile.packageName(atPath: "node_modules/a/node_modules/@s/b") == "@s/b")
        // A scope that ends in `node_modules` is one name, as `isValidInstallPath` reads it.
        #expect(Lockfile.packageName(atPath: "node_modules/@acmenode_modules/leftpad") == "@acmenode_modules/leftpad")
        #expect(Lockfile.packageName(atPath: "node_modules/a/node_modules/@acmenode_modules/leftpad") == "@acmenode_modules/leftpad")
        #expect(Lockfile.packageName(atPath: "packages/app/node_modules/x") == "x")
    }
}

@Suite struct IntegrityTests {
    @Test func picksStrongestAlgorithmAndChecksEveryHash() throws {
        let data = Data("hello".utf8)
        let sha512 = SubresourceIntegrity.of(data).description
        let sha1 = SubresourceIntegrity.of(data, algorithm: .sha1).description
        let sri = try SubresourceIntegrity("\(sha1) \(sha512)")
        #expect(sri.strongestAlgorithm == .sha512)
        #expect(throws: Never.self) { try VerifiedBytes.verify(data, against: sri, subject: "x@1", source: "test") }
        let wrong1 = "sha1-" + Data(repeating: 1, count: 20).base64EncodedString()
        let mixed = try SubresourceIntegrity("\(wrong1) \(sha512)")
        #expect(throws: IntegrityMismatch.self) { try VerifiedBytes.verify(data, against: mixed, subject: "x@1", source: "test") }
    }

    @Test func twoDigestsOfOneAlgorithmAreRefused() {
        let data = Data("hello".utf8)
        let sha512 = SubresourceIntegrity.of(data).description
        let other = SubresourceIntegrity.of(Data("other".utf8)).description
        #expect(throws: IntegrityError.duplicateAlgorithm(algorithm: "sha512", text: "\(sha512) \(other)")) {
            try SubresourceIntegrity("\(sha512) \(other)")
        }
        #expect(throws: IntegrityError.self) { try SubresourceIntegrity("\(sha512) \(sha512)") }
    }

    @Test func malformedOrUnknownTokensAreRefusedNotSkipped() {
        let sha512 = SubresourceIntegrity.of(Data("hello".utf8)).description
        #expect(throws: IntegrityError.self) { try SubresourceIntegrity("\(sha512) sha512-tooShort") }
        #expect(throws: IntegrityError.self) { try SubresourceIntegrity("\(sha512) md5-abc") }
        #expect(throws: IntegrityError.self) { try SubresourceIntegrity("   ") }
        #expect(throws: Never.self) { try SubresourceIntegrity("\(sha512)?opts") }
    }

    /// A lone plain token is read byte-wise; a space beside it sends the same token through the
    /// Character-wise parser. Both must give the same verdict and the same hashes.
    @Test func aPlainTokenParsesAsTheGeneralParserParsesIt() {
        let data = Data("hello".utf8)
        let valid = DigestAlgorithm.allCases.map { SubresourceIntegrity.of(data, algorithm: $0).description }
        let sha512 = valid.first { $0.hasPrefix("sha512-") }!
        let tokens = valid + [
            String(sha512.dropLast(2)),                      // padding cut: Foundation refuses it
            sha512 + "A",                                    // one character too many
            "sha512-", "-", "sha512", "", "sha256-" + String(sha512.dropFirst(7)),  // a digest of the wrong length
            "SHA512-" + String(sha512.dropFirst(7)),         // algorithm names are lower case
            "sha512-" + String(sha512.dropFirst(7)).replacingOccurrences(of: "+", with: "-"),
            "sha512--" + String(sha512.dropFirst(7)), "md5-abc=",
        ]
        for token in tokens {
            let plain = try? SubresourceIntegrity(token)
            #expect(plain == (try? SubresourceIntegrity(token + " ")), "\(token)")
            #expect(plain == (try? SubresourceIntegrity(" " + token)), "\(token)")
        }
        #expect(valid.allSatisfy { (try? SubresourceIntegrity($0))?.description == $0 })
    }

    @Test func theIdentityIsTheComputedDigestNotAClaim() throws {
        let data = Data("hello".utf8)
        let verified = try VerifiedBytes.verify(data, against: .of(data), subject: "x@1", source: "t")
        #expect(verified.identity == SubresourceIntegrity.of(data))
        #expect(throws: IntegrityMismatch.self) {
            try verified.confirm(.of(Data("other".utf8)), subject: "x@1", claim: "package-lock.json")
        }
    }

    @Test func mismatchNamesSubjectSourceAndBothDigests() throws {
        let expected = SubresourceIntegrity.of(Data("good".utf8))
        #expect { try VerifiedBytes.verify(Data("evil".utf8), against: expected, subject: "pkg@1.0.0", source: "http://r/pkg.tgz") } throws: { error in
            let text = "\(error)"
            return text.contains("pkg@1.0.0") && text.contains("http://r/pkg.tgz") && text.contains(expected.description)
                && text.contains(SubresourceIntegrity.of(Data("evil".utf8)).description)
        }
    }


    @Test func legacyShasumBecomesSHA1Integrity() throws {
        let data = Data("legacy".utf8)
        let hex = SubresourceIntegrity.of(data, algorithm: .sha1).hashes[0].digest.hexString
        let sri = try SubresourceIntegrity.fromHexSHA1(hex)
        #expect(sri.strongestAlgorithm == .sha1)
        #expect(throws: Never.self) { try VerifiedBytes.verify(data, against: sri, subject: "x@1", source: "t") }
    }

    @Test func digestsMatchKnownVectors() {
        #expect(Digest.hash(.sha256, Array("abc".utf8)).hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.hash(.sha1, Array("abc".utf8)).hexString == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }
}

@Suite struct InstallPathTests {
    @Test(arguments: ["node_modules/a", "node_modules/@s/b", "node_modules/a/node_modules/@s/b"])
    func acceptsNodeModulesPaths(path: String) {
        #expect(Lockfile.isValidInstallPath(path))
    }

    @Test(arguments: ["", "a", "node_modules/../../etc", "node_modules/a/../../x", "node_modules//x", "/node_modules/a",
                      "node_modules/a/node_modules/", "node_modules/@s/b/c", "lib/node_modules/a"])
    func refusesPathsOutsideNodeModules(path: String) {
        #expect(!Lockfile.isValidInstallPath(path))
    }
}
