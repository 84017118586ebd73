import Foundation
@testable import Publish
import Testing

/// PEM blocks: the canonical layout other Sigstore clients rebuild (64-column base64, final newline).
@Suite struct PEMTests {
    @Test func encodesWith64ColumnLinesAndAFinalNewlineAndRoundTrips() {
        let der = (0..<100).map { UInt8($0) }
        let pem = PEM.encode(der)
        let lines = pem.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "-----BEGIN CERTIFICATE-----")
        #expect(lines[1].count == 64 && lines[2].count == 64 && lines[3].count == 136 - 128)  // 100 bytes → 136 base64 chars
        #expect(lines[4] == "-----END CERTIFICATE-----" && lines.count == 6 && lines.last == "")
        #expect(PEM.decode(pem) == [der])
    }

    @Test func decodesEveryBlockOfTheLabelAndIgnoresOthers() {
        let text = PEM.encode([1]) + PEM.encode([2], label: "PUBLIC KEY") + "junk\n" + PEM.encode([3])
        #expect(PEM.decode(text) == [[1], [3]])
        #expect(PEM.decode(text, label: "PUBLIC KEY") == [[2]])
    }
}
