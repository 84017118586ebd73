import FixtureTesting
import Foundation
import SafeJSON
import Testing

/// Registry-supplied text (here a `bin` path with a NUL, refused with a warning) never reaches
/// the terminal with raw control characters, in the text report or the JSON one.
@Suite struct TerminalEscapeTests {
    static let clearScreen = "\u{1B}[2J"

    func verifyInstall(_ arguments: [String], project: TestProject) async throws -> ProcessResult {
        try await ProcessRunner.run(Products.executable("verify-install"), arguments + ["--prefix", project.directory.path, "--cache", project.cache.path],
                                    environment: ["HOME": project.directory.deletingLastPathComponent().path])
    }

    @Test func hostileRegistryTextIsEscapedInTheReports() async throws {
        try await TestRegistry.with { registry in
            try registry.publish("escape-demo", "1.0.0", extra: ["bin": ["demo": .string("x\u{0}\(Self.clearScreen)\u{9B}31m")]])
            let project = try TestProject(packageJSON: #"{"name":"app","dependencies":{"escape-demo":"1.0.0"}}"#)

            let text = try await verifyInstall(["--registry", registry.url], project: project)
            #expect(text.status == 0, "stderr: \(text.stderr)")
            #expect(text.stdout.contains("warning: escape-demo: ignored unsafe bin entry 'demo' -> 'x\\u{0}\\u{1B}[2J\\u{9B}31m'"), "\(text.stdout)")
            for output in [text.stdout, text.stderr] {
                #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{9B}" })
            }

            let json = try await verifyInstall(["--registry", registry.url, "--json"], project: project)
            #expect(json.status == 0, "stderr: \(json.stderr)")
            for output in [json.stdout, json.stderr] {
                #expect(!output.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{9B}" })
            }
            let document = try JSONValue.parse(Data(json.stdout.utf8))
            let warnings = document["report"]?["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(warnings.contains { $0.contains(Self.clearScreen + "\u{9B}") }, "JSON keeps the text, escaped as \\u001b and \\u009b")
        }
    }
}
