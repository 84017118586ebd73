import Foundation
import Testing
@testable import SigstoreVerify

/// A logged verifier is read as exactly one PEM block; anything else is not a verifier.
@Suite struct VerifierPEMTests {
    static let body = "MIIBszCCAVmgAwIBAgIUYWJj\nZGVmZ2hpamtsbW5vcHFyc3R1\n"

    @Test func oneBlockGivesItsLabelAndDER() throws {
        let block = try #require(TlogBodyCheck.pemBlock(Array("-----BEGIN CERTIFICATE-----\r\n\(Self.body)-----END CERTIFICATE-----\n".utf8)))
        #expect(block.label == "CERTIFICATE")
        #expect(block.der == Array(Data(base64Encoded: Self.body.replacingOccurrences(of: "\n", with: ""))!))
        #expect(TlogBodyCheck.pemBlock(Array("  -----BEGIN PUBLIC KEY-----\n\(Self.body)-----END PUBLIC KEY-----  ".utf8))?.label == "PUBLIC KEY")
    }

    @Test(arguments: [
        "-----BEGIN CERTIFICATE-----\n\(body)-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\n\(body)-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\n\(body)-----END PUBLIC KEY-----\n",
        "-----BEGIN CERTIFICATE-----\n\(body)-----END CERTIFICATE-----\njunk\n",
        "-----BEGIN CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----\n",
        "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
        "eA==",
    ])
    func anythingElseIsRefused(_ text: String) {
        #expect(TlogBodyCheck.pemBlock(Array(text.utf8)) == nil)
    }
}
