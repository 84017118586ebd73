import Crypto
import Foundation
import OpenSSLCrypto
import SafeJSON
import SigstoreModels
import SigstoreVerify
import Testing

@testable import FixtureSigstore
import X509

/// The world's timestamp authority, checked by our OpenSSL consumer (`RFC3161Timestamp`,
/// `TimestampAuthorityCheck`): the token stamps the signature bytes, chains to the authority's
/// root with the timeStamping purpose, and carries the ESS signing-certificate attribute.
@Suite struct TimestampAuthorityTests {
    static let now = Date(timeIntervalSince1970: 1_760_000_000)
    let authority: TimestampAuthority

    init() throws {
        authority = try TimestampAuthority(material: .generate(notBefore: Self.now.addingTimeInterval(-3600)), clock: { Self.now })
    }

    /// A request as sigstore clients send it (SHA-256 imprint, nonce, certReq).
    static func request(over data: [UInt8], nonce: [UInt8] = [0x01, 0x23, 0x45], certReq: Bool = true) -> [UInt8] {
        func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] { [tag, UInt8(content.count)] + content }
        let sha256 = tlv(0x06, [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01])
        let imprint = tlv(0x30, tlv(0x30, sha256 + [0x05, 0x00]) + tlv(0x04, Array(SHA256.hash(data: data))))
        return tlv(0x30, tlv(0x02, [0x01]) + imprint + tlv(0x02, nonce) + (certReq ? [0x01, 0x01, 0xFF] : []))
    }

    func trusted() throws -> TrustedMaterial {
        let root: JSONValue = ["mediaType": "application/vnd.dev.sigstore.trustedroot.v0.2+json", "tlogs": [], "ctlogs": [],
                               "certificateAuthorities": [],
                               "timestampAuthorities": [authority.trustedRootEntry(validFrom: Self.now.addingTimeInterval(-3600))]]
        return try TrustedMaterial(jsonData: try root.serialized())
    }

    @Test(arguments: [true, false])
    func theTokenVerifiesOverTheSignatureWithOurConsumer(certReq: Bool) throws {
        let signature = Array("a DER ECDSA signature".utf8)
        let response = try authority.timestamp(requestDER: Self.request(over: signature, certReq: certReq))
        let token = try RFC3161Timestamp(der: response)
        #expect(token.time == Self.now)
        let chain = try authority.chainDER.map { try OpenSSLCrypto.Certificate(der: $0) }
        try token.verify(data: signature, chain: chain)
        #expect(try TimestampAuthorityCheck().verify([response], signature: signature, trusted: trusted()) == [Self.now])
    }

    @Test func theTokenDoesNotStampOtherBytes() throws {
        let response = try authority.timestamp(requestDER: Self.request(over: Array("signed".utf8)))
        #expect(throws: VerificationError.self) {
            try TimestampAuthorityCheck().verify([response], signature: Array("other".utf8), trusted: trusted())
        }
    }

    @Test func anotherAuthoritysRootDoesNotVerifyTheToken() throws {
        let response = try authority.timestamp(requestDER: Self.request(over: [1, 2, 3]))
        let other = try TimestampAuthority(material: .generate(notBefore: Self.now.addingTimeInterval(-3600)))
        let chain = try other.chainDER.map { try OpenSSLCrypto.Certificate(der: $0) }
        #expect(throws: (any Error).self) { try RFC3161Timestamp(der: response).verify(data: [1, 2, 3], chain: chain) }
    }

    /// OpenSSL would take the signer from the token's own certificates: a timeStamping leaf that
    /// chains to a trusted authority's root but is not that authority's leaf must not count
    /// (found by an attack: a token from a leaf the trusted root never listed was accepted).
    @Test func aTokenFromAnotherLeafUnderTheSameRootIsRefused() throws {
        let rootKey = P256.Signing.PrivateKey()
        let notBefore = Self.now.addingTimeInterval(-3600)
        let trustedAuthority = try TimestampAuthority(material: .generate(notBefore: notBefore, rootKey: rootKey), clock: { Self.now })
        let rogue = try TimestampAuthority(material: .generate(notBefore: notBefore, rootKey: rootKey), clock: { Self.now })
        let signature = Array("a DER ECDSA signature".utf8)
        let response = try rogue.timestamp(requestDER: Self.request(over: signature))
        let trustedChain = try trustedAuthority.chainDER.map { try OpenSSLCrypto.Certificate(der: $0) }
        let error = #expect(throws: (any Error).self) { try RFC3161Timestamp(der: response).verify(data: signature, chain: trustedChain) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("another certificate than the authority's leaf"))
        // The rogue leaf's own chain (same root name and key) still verifies it: only the pin refuses.
        let rogueChain = try rogue.chainDER.map { try OpenSSLCrypto.Certificate(der: $0) }
        try RFC3161Timestamp(der: response).verify(data: signature, chain: [rogueChain[0], trustedChain[1]])
    }

    @Test func theLeafIsATimestampingLeafWithACriticalEKU() throws {
        let leaf = try OpenSSLCrypto.Certificate(der: authority.chainDER[0])
        let text = authority.leaf.extensions.description
        #expect(text.contains("timeStamping") || text.contains("1.3.6.1.5.5.7.3.8"), "\(text)")
        #expect(try authority.leaf.extensions.extendedKeyUsage?.contains(.timeStamping) == true)
        #expect(authority.leaf.extensions.first { $0.oid == .X509ExtensionID.extendedKeyUsage }?.critical == true)
        #expect(!leaf.derBytes.isEmpty)
    }

    @Test func malformedRequestsAreRefusedWith400() {
        #expect(throws: TimestampError.self) { try authority.timestamp(requestDER: [0x30, 0x00]) }
        let sha1Imprint: [UInt8] = [0x30, 0x1F, 0x02, 0x01, 0x01, 0x30, 0x1A, 0x30, 0x07, 0x06, 0x05, 0x2B, 0x0E, 0x03, 0x02, 0x1A,
                                    0x04, 0x0F] + Array(repeating: 0, count: 15)
        do { _ = try authority.timestamp(requestDER: sha1Imprint); Issue.record("a non-SHA-256 request was stamped") } catch {
            #expect(error.status == 400)
        }
    }
}
