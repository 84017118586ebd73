import Foundation
@testable import Installer
import Testing

/// `npm install <spec>` edits package.json minimally: indentation, key order and line endings stay.
@Suite struct PackageJSONTextTests {
    @Test func addsTheDependenciesMapLastWithTheFilesIndentation() {
        let text = "{\n    \"name\": \"app\",\n    \"scripts\": {\n        \"z\": \"1\",\n        \"a\": \"2\"\n    }\n}\n"
        let saved = PackageJSONText.saving([("dependencies", "@mochi/example", "^1.1.0")], into: text)
        #expect(saved == "{\n    \"name\": \"app\",\n    \"scripts\": {\n        \"z\": \"1\",\n        \"a\": \"2\"\n    },\n    \"dependencies\": {\n        \"@mochi/example\": \"^1.1.0\"\n    }\n}\n")
    }

    @Test func updatesAnExistingMapInPlaceSortedByName() {
        let text = "{\n  \"dependencies\": {\n    \"zeta\": \"1\"\n  },\n  \"name\": \"app\"\n}\n"
        let saved = PackageJSONText.saving([("dependencies", "alpha", "^2.0.0")], into: text)
        #expect(saved == "{\n  \"dependencies\": {\n    \"alpha\": \"^2.0.0\",\n    \"zeta\": \"1\"\n  },\n  \"name\": \"app\"\n}\n")
    }

    @Test func keepsWindowsLineEndingsAndTabs() {
        let text = "{\r\n\t\"name\": \"app\"\r\n}\r\n"
        let saved = PackageJSONText.saving([("dependencies", "a", "1.0.0")], into: text)
        #expect(saved == "{\r\n\t\"name\": \"app\",\r\n\t\"dependencies\": {\r\n\t\t\"a\": \"1.0.0\"\r\n\t}\r\n}\r\n")
    }

    @Test func stringsWithBracesAndEscapesDoNotConfuseTheScan() {
        let text = #"{"name": "a}{\"b", "dependencies": {"x": "1"}, "z": [1, {"y": "}"}]}"#
        let saved = PackageJSONText.saving([("dependencies", "w", "2")], into: text)
        #expect(saved == "{\"name\": \"a}{\\\"b\", \"dependencies\": {\n    \"w\": \"2\",\n    \"x\": \"1\"\n  }, \"z\": [1, {\"y\": \"}\"}]}")
    }

    @Test func aQuoteAfterAPrependedScalarIsStillAQuote() {
        // U+0600 (a Prepend scalar) merges with the `"` after it into one Character; a scan by
        // Character lost that quote, took the real map for a nested value and appended a second
        // `dependencies`, which JSON.parse reads instead of the first (dropping "other").
        let text = "{\"a\":\"\u{0600}\",\",\":\":{\",\"dependencies\":{\"basic\":\"^1.0.0\",\"other\":\"^1.0.0\"},\"}\":\":0\u{0600}\",\"name\":\"p\"}"
        let saved = PackageJSONText.saving([("dependencies", "basic", "2.0.0")], into: text)
        #expect(saved == "{\"a\":\"\u{0600}\",\",\":\":{\",\"dependencies\":{\n    \"basic\": \"2.0.0\",\n    \"other\": \"^1.0.0\"\n  },\"}\":\":0\u{0600}\",\"name\":\"p\"}")
    }

    @Test func aRepeatedMapIsEditedWhereJSONParseReadsItAndTextThatIsNotJSONIsNil() {
        // Two `dependencies` keys: the splice edits the last, the one JSON.parse keeps, so the result
        // means the original object with the edit. Text that does not parse is never spliced.
        let text = #"{"dependencies": {"x": "1"}, "dependencies": {"y": "1"}}"#
        #expect(PackageJSONText.saving([("dependencies", "z", "2")], into: text) == #"{"dependencies": {"x": "1"}, "dependencies": {\#n    "y": "1",\#n    "z": "2"\#n  }}"#)
        #expect(PackageJSONText.saving([("dependencies", "z", "2")], into: #"{"a": 1,, "b": }"#) == nil)
    }

    @Test func notAnObjectIsNil() {
        #expect(PackageJSONText.saving([("dependencies", "a", "1")], into: "[1]") == nil)
    }

    @Test func installWritesPackageJSONExactlyAsNpmDoes() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let project = try TestProject(packageJSON: "{\n  \"name\": \"app\",\n  \"private\": true\n}\n")
            try await project.install(registry, "@mochi/example")
            let written = try String(contentsOf: project.directory.appendingPathComponent("package.json"), encoding: .utf8)
            #expect(written == "{\n  \"name\": \"app\",\n  \"private\": true,\n  \"dependencies\": {\n    \"@mochi/example\": \"^1.1.0\"\n  }\n}\n")
        }
    }

    /// npm refuses a dependency whose spec is not a string; saving the map had dropped it from
    /// package.json, and it was never installed (found by review). Nothing is changed.
    @Test func aDependencyWhoseSpecIsNotAStringIsRefusedAndNothingChanges() async throws {
        try await TestRegistry.with(seeded: true) { registry in
            let text = #"{"name": "app", "dependencies": {"keep": 1, "also": {"git": "x"}}}"#
            let project = try TestProject(packageJSON: text)
            let error = await #expect(throws: InstallError.self) { try await project.install(registry, "@mochi/example") }
            #expect(error?.message.contains("dependencies.also is") == true, "\(String(describing: error))")
            #expect(error?.message.contains("not a spec string") == true)
            #expect(try String(contentsOf: project.directory.appendingPathComponent("package.json"), encoding: .utf8) == text)
            #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("node_modules").path))
        }
    }
}
