import Foundation
@testable import Tarball
import Testing

/// Modes are given to `open`/`mkdir` directly only when the umask keeps them exactly, so the
/// umask is read without being changed, and anything unreadable means "always fchmod".
@Suite struct ProcessUmaskTests {
    @Test func readsTheUmaskLine() {
        let status = Array("Name:\tx\nUmask:\t0027\nState:\tR\n".utf8)
        #expect(ProcessUmask.parse(status[...]) == 0o027)
    }

    @Test(arguments: ["Name:\tx\n", "Umask:\t\n", "Umask:\t0089\n", "Umask:\t000022\n", "Umask:\tabc\n"])
    func malformedOrMissingLinesGiveNoUmask(_ text: String) {
        #expect(ProcessUmask.parse(Array(text.utf8)[...]) == nil)
    }

    @Test func aModeIsKeptOnlyWhenTheUmaskMasksNoneOfItsBits() throws {
        let umask = try #require(ProcessUmask.value, "Linux exposes the umask in /proc/self/status")
        #expect(ProcessUmask.keeps(0o644) == (0o644 & umask == 0))
        #expect(ProcessUmask.keeps(0o755) == (0o755 & umask == 0))
        #expect(ProcessUmask.keeps(0o777) == (umask == 0))
    }
}
