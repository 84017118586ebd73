import Foundation
import LockfileFormats
import Testing

/// npm ci, Yarn Berry and Bun link the bins a lockfile entry records, not the tarball's (found by
/// review: a bin named after another package's tool, pointed at any file of this one, ran it in
/// that tool's place). Each entry's bins are kept for comparing with the registry; a form the
/// package manager may read otherwise than written is refused.
@Suite struct LockedBinsTests {
    static func read(_ text: String, _ file: String) throws -> [LockedPackage] {
        try LockfileReader().read(Data(text.utf8), fileName: file).packages
    }

    static func npm(bin: String) -> String {
        #"{"lockfileVersion": 3, "packages": {"": {"dependencies": {"a": "^1.0.0"}}, "node_modules/a": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "integrity": "sha512-x", "bin": \#(bin)}}}"#
    }

    static func bun(bin: String) -> String {
        #"{"lockfileVersion": 1, "workspaces": {"": {"dependencies": {"a": "^1.0.0"}}}, "packages": {"a": ["a@1.0.0", "", {"bin": \#(bin)}, "sha512-x"]}}"#
    }

    static func berry(bin: String) -> String {
        "__metadata:\n  version: 8\n\n\"a@npm:^1.0.0\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n  bin:\n\(bin)\n  checksum: 10c0/00\n"
    }

    @Test func eachFormatKeepsTheBinsAnEntryRecords() throws {
        #expect(try Self.read(Self.npm(bin: #"{"tsc": "./cli.js"}"#), "package-lock.json").first?.bins == ["tsc": "./cli.js"])
        #expect(try Self.read(Self.bun(bin: #"{"tsc": "cli.js"}"#), "bun.lock").first?.bins == ["tsc": "cli.js"])
        #expect(try Self.read(Self.berry(bin: "    tsc: cli.js"), "yarn.lock").first?.bins == ["tsc": "cli.js"])
        #expect(try Self.read(Self.bun(bin: #""./cli.js""#), "bun.lock").first?.bins == ["a": "./cli.js"], "Bun writes one bin as a string")
        #expect(try Self.read(Self.npm(bin: "{}"), "package-lock.json").first?.bins == [:])
        #expect(try Self.read(Self.npm(bin: "null"), "package-lock.json").first?.bins == nil)
    }

    @Test(arguments: [#""cli.js""#, #"["cli.js"]"#, #"{"tsc": 1}"#, #"{"a:tsc": "cli.js"}"#, #"{"x/tsc": "cli.js"}"#, #"{"..": "cli.js"}"#, #"{"tsc": "a.js", "x\\tsc": "b.js"}"#])
    func aBinFormReadOtherwiseThanWrittenRefusesTheLockfile(bin: String) {
        let formats = [(Self.npm(bin: bin), "package-lock.json")] + (bin.hasPrefix("{") || bin.hasPrefix("[") ? [(Self.bun(bin: bin), "bun.lock")] : [])
        for (text, file) in formats {
            let error = #expect(throws: LockfileError.self, "\(file) \(bin)") { try Self.read(text, file) }
            #expect(error?.message.contains("has a bin field the package manager may read otherwise than it is written") == true, "\(error?.message ?? "")")
        }
    }

    @Test(arguments: ["    a:tsc: cli.js", "    tsc:\n      - cli.js"])
    func aBerryBinReadOtherwiseThanWrittenRefusesTheLockfile(bin: String) {
        let error = #expect(throws: LockfileError.self) { try Self.read(Self.berry(bin: bin), "yarn.lock") }
        #expect(error?.message.contains("yarn.lock: a@npm:^1.0.0 has a bin field") == true, "\(error?.message ?? "")")
    }
}
