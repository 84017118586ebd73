import Crypto
import Foundation
import OpenSSLCrypto
import Testing

/// `RepeatedKeyVerifier` (P-384 through fixed-base tables) decides every signature exactly as
/// OpenSSL's own verification does: differential over valid, mutated and malformed signatures.
@Suite struct RepeatedKeyVerifierTests {
    /// The order n of P-384, big-endian.
    static let order: [UInt8] = hex("ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973")

    static func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map { UInt8(text.dropFirst($0).prefix(2), radix: 16)! }
    }

    /// `a - b` for big-endian numbers of one width, a >= b.
    static func minus(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = a, borrow = 0
        for index in stride(from: a.count - 1, through: 0, by: -1) {
            let value = Int(a[index]) - Int(b[index]) - borrow
            result[index] = UInt8((value + 256) & 0xFF)
            borrow = value < 0 ? 1 : 0
        }
        return result
    }

    /// `a + b` for big-endian numbers of one width, one byte wider.
    static func plus(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: a.count + 1), carry = 0
        for index in stride(from: a.count - 1, through: 0, by: -1) {
            let value = Int(a[index]) + Int(b[index]) + carry
            result[index + 1] = UInt8(value & 0xFF)
            carry = value >> 8
        }
        result[0] = UInt8(carry)
        return result
    }

    /// A DER INTEGER of the unsigned big-endian `value`, minimally encoded unless `padded`.
    static func integer(_ value: [UInt8], padded: Bool = false) -> [UInt8] {
        var body = Array(value.drop { $0 == 0 })
        if body.isEmpty || body[0] >= 0x80 { body.insert(0, at: 0) }
        if padded { body.insert(0, at: 0) }
        return [0x02, UInt8(body.count)] + body
    }

    static func signature(r: [UInt8], s: [UInt8], padR: Bool = false) -> [UInt8] {
        let body = integer(r, padded: padR) + integer(s)
        return [0x30, UInt8(body.count)] + body
    }

    /// OpenSSL's verdict through EVP (the path every other key takes).
    static func openSSL(_ key: PublicKey, _ signature: [UInt8], _ digest: [UInt8], _ algorithm: DigestAlgorithm) -> Bool {
        key.verify(signature: signature, prehashedDigest: digest, algorithm: algorithm)
    }

    @Test func aFulcioLeafVerifiesUnderItsIssuersPreparedKeyAndAForgedOneDoesNot() throws {
        let (leaf, intermediate, _, _, _) = try CertificateTests.material()
        let verifier = try #require(RepeatedKeyVerifier(try intermediate.publicKey()))
        #expect(intermediate.issued(leaf) && leaf.isSigned(by: intermediate))
        #expect(leaf.isSigned(by: verifier))
        #expect(try !KnownLinksTests.tampered(leaf).isSigned(by: verifier))
        // One byte of the TBSCertificate (inside the serial number) changed: it parses, it does not verify.
        var der = leaf.derBytes
        der[15] ^= 0x01
        let altered = try Certificate(der: der)
        #expect(!altered.isSigned(by: intermediate) && !altered.isSigned(by: verifier))
    }

    @Test func onlyP384KeysArePrepared() throws {
        #expect(RepeatedKeyVerifier(try PublicKey(spkiDER: Array(P256.Signing.PrivateKey().publicKey.derRepresentation))) == nil)
        #expect(RepeatedKeyVerifier(try PublicKey(spkiDER: Array(P521.Signing.PrivateKey().publicKey.derRepresentation))) == nil)
        #expect(RepeatedKeyVerifier(try PublicKey(rawEd25519: KeyFixtures.bytes(KeyFixtures.edRaw))) == nil)
        #expect(RepeatedKeyVerifier(try PublicKey(pem: KeyFixtures.rsaPEM)) == nil)
        #expect(RepeatedKeyVerifier(try PublicKey(spkiDER: KeyFixtures.bytes(KeyFixtures.ecSPKI))) != nil)
    }

    @Test func agreesWithOpenSSLOnValidAndMutatedSignatures() throws {
        let signer = P384.Signing.PrivateKey()
        let key = try PublicKey(spkiDER: Array(signer.publicKey.derRepresentation))
        let verifier = try #require(RepeatedKeyVerifier(key))
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for round in 0..<40 {
            let message = Array("message \(round)".utf8)
            // Digests shorter than, as long as and longer than the order (the leftmost 384 bits count).
            let cases: [(DigestAlgorithm, [UInt8], P384.Signing.ECDSASignature)] = [
                (.sha384, Array(SHA384.hash(data: message)), try signer.signature(for: SHA384.hash(data: message))),
                (.sha256, Array(SHA256.hash(data: message)), try signer.signature(for: SHA256.hash(data: message))),
                (.sha512, Array(SHA512.hash(data: message)), try signer.signature(for: SHA512.hash(data: message))),
            ]
            for (algorithm, digest, signature) in cases {
                let raw = Array(signature.rawRepresentation)
                let (r, s) = (Array(raw[..<48]), Array(raw[48...]))
                var candidates = [Array(signature.derRepresentation), Self.signature(r: r, s: Self.minus(Self.order, s))]
                var flipped = Array(signature.derRepresentation)
                flipped[Int.random(in: 0..<flipped.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
                candidates.append(flipped)
                candidates.append(Array(signature.derRepresentation) + [0])  // trailing byte
                candidates.append(Self.signature(r: r, s: s, padR: true))  // non-minimal INTEGER
                candidates.append(Self.signature(r: Self.minus(r, [UInt8](repeating: 0, count: 47) + [1]), s: s))  // r - 1
                candidates.append(Self.signature(r: r, s: Self.plus(s, Self.order)))  // s + n: the same s modulo n
                candidates.append(Self.signature(r: Self.plus(r, Self.order), s: s))  // r + n
                for candidate in candidates {
                    let expected = Self.openSSL(key, candidate, digest, algorithm)
                    #expect(verifier.verify(signature: candidate, digest: digest) == expected,
                            "\(algorithm) \(candidate.map { String(format: "%02x", $0) }.joined())")
                    if expected { accepted += 1 }
                }
            }
        }
        #expect(accepted == 40 * 3 * 2)  // each signature and its high-s twin, nothing else
    }

    @Test func outOfRangeValuesAreRefused() throws {
        let signer = P384.Signing.PrivateKey()
        let key = try PublicKey(spkiDER: Array(signer.publicKey.derRepresentation))
        let verifier = try #require(RepeatedKeyVerifier(key))
        let digest = Array(SHA384.hash(data: Array("x".utf8)))
        let raw = Array(try signer.signature(for: SHA384.hash(data: Array("x".utf8))).rawRepresentation)
        let (r, s) = (Array(raw[..<48]), Array(raw[48...]))
        let zero = [UInt8](repeating: 0, count: 48)
        for candidate in [Self.signature(r: zero, s: s), Self.signature(r: r, s: zero), Self.signature(r: Self.order, s: s),
                          Self.signature(r: r, s: Self.order), [0x30, 0x00], [], [0x30, 0x80, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x00, 0x00]] {
            #expect(!verifier.verify(signature: candidate, digest: digest))
            #expect(!Self.openSSL(key, candidate, digest, .sha384))
        }
    }
}
