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
}
