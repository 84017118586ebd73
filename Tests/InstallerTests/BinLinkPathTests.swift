import Foundation
import Testing
@testable import Installer

/// Bin names and targets are judged on bytes: a `/` glued to a combining mark (one Swift
/// Character) is still a `/` to the kernel, so it must not hide a `..` or a nested name.
@Suite struct BinLinkPathTests {
    @Test(arguments: ["\u{0301}", "\u{0600}"])
    func hiddenSlashesAndDotDotsAreRefused(_ mark: String) {
        #expect(!BinLinks.isSafeName("x/\(mark)"))
        #expect(!BinLinks.isSafeName("\(mark)/x"))
        #expect(BinLinks.normalised("lib/\(mark)/../../../../etc/passwd") == nil)
        #expect(BinLinks.normalised("../\(mark)x") == nil)
        #expect(BinLinks.components("a/\(mark)b").count == 2)
    }

    @Test func ordinaryBinsStayAsNpmWritesThem() {
        #expect(BinLinks.isSafeName("tool-cli"))
        #expect(BinLinks.normalised("./bin//cli.js") == "bin/cli.js")
        #expect(BinLinks.normalised("bin/../cli.js") == nil)
        #expect(BinLinks.normalised("/usr/bin/env") == nil)
    }

    @Test func binsLinkBesideTheirOwnFolderWhateverThePackageIsCalled() throws {
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("bin-links-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tree) }
        var warnings: [String] = []
        BinLinks.link(name: "dep", bins: ["deptool": "cli.js"], location: "node_modules/@evil/node_modules/node_modules/dep", in: tree) {
            warnings.append($0)
        }
        let nested = tree.appendingPathComponent("node_modules/@evil/node_modules/node_modules/.bin/deptool")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: nested.path) == "../dep/cli.js")
        // An alias (`foo` installed from npm:bar) links into its own folder, not into a `bar` beside it.
        BinLinks.link(name: "bar", bins: ["bar-cli": "cli.js"], location: "node_modules/foo", in: tree) { warnings.append($0) }
        let alias = tree.appendingPathComponent("node_modules/.bin/bar-cli")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: alias.path) == "../foo/cli.js")
        #expect(warnings.isEmpty, "\(warnings)")
    }

    @Test func aLaterPackageCannotTakeOverABinAlreadyLinked() throws {
        let tree = FileManager.default.temporaryDirectory.appendingPathComponent("bin-links-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tree) }
        var warnings: [String] = []
        BinLinks.link(name: "tool", bins: ["tool-cli": "cli.js"], location: "node_modules/tool", in: tree) { warnings.append($0) }
        BinLinks.link(name: "evil", bins: ["tool-cli": "x.js"], location: "node_modules/evil", in: tree) { warnings.append($0) }
        let link = tree.appendingPathComponent("node_modules/.bin/tool-cli")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "../tool/cli.js")
        #expect(warnings.count == 1 && warnings[0].contains("evil: bin tool-cli is already linked to ../tool/cli.js"), "\(warnings)")
    }
}
