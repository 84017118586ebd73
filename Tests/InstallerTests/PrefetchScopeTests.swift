import Foundation
import NpmModel
import SafeJSON
import Testing
@testable import Installer

/// Speculative packument fetches follow `latest` and the newest few versions only: a tag pointing
/// at an old version with fifty dependencies nobody installs does not make the run fetch them.
@Suite struct PrefetchScopeTests {
    @Test func onlyLatestAndTheNewestVersionsAreFollowed() throws {
        func version(_ v: String, _ deps: [String]) -> String {
            "\"\(v)\": {\"name\": \"tagfan\", \"version\": \"\(v)\", \"dist\": {\"tarball\": \"https://r.test/t.tgz\"}, "
                + "\"dependencies\": {" + deps.map { "\"\($0)\": \"1\"" }.joined(separator: ", ") + "}}"
        }
        let fan = (0..<50).map { "unused-\($0)" }
        let text = "{\"name\": \"tagfan\", \"dist-tags\": {\"latest\": \"1.0.0\", \"x\": \"0.0.1\"}, \"versions\": {"
            + [version("0.0.1", fan), version("0.0.2", []), version("0.0.3", []), version("0.0.4", ["four"]), version("1.0.0", ["one"])]
                .joined(separator: ", ") + "}}"
        let packument = try Packument(json: try JSONValue.parse(Data(text.utf8)), requestedName: "tagfan")
        #expect(PackumentPrefetcher.likelyDependencies(of: packument) == ["one", "four"])
    }
}
