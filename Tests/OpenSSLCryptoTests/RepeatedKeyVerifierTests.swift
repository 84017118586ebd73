import Crypto
import Foundation
import OpenSSLCrypto
import Testing

/// `RepeatedKeyVerifier` (P-384 and P-256 through fixed-base tables) decides every signature exactly as
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

    @Test func onlyP384AndP256KeysArePrepared() throws {
        #expect(RepeatedKeyVerifier(try PublicKey(spkiDER: Array(P256.Signing.PrivateKey().publicKey.derRepresentation))) != nil)
        #expect(RepeatedKeyVerifier(try PublicKey(spkiDER: Array(P521.Signing.PrivateKey().publicKey.derRepresentation))) == nil)
        #expect(RepeatedKeyVerifier(try PublicKey(rawEd25519: KeyFixtures.bytes(KeyFixtures.edRaw))) == nil)
        #expect(RepeatedKeyVerifier(try PublicKey(pem: KeyFixtures.rsaPEM)) == nil)
        #expect(RepeatedKeyVerifier(try PublicKey(spkiDER: KeyFixtures.bytes(KeyFixtures.ecSPKI))) != nil)
    }

    /// A curve under test: its order, and a fresh key that signs a digest as (DER, raw r||s).
    struct Curve: Sendable, CustomTestStringConvertible {
        let name: String
        let order: [UInt8]
        let makeSigner: @Sendable () -> (spki: [UInt8], sign: (any Crypto.Digest) throws -> (der: [UInt8], raw: [UInt8]))
        var testDescription: String { name }

        static let p384 = Curve(name: "P-384", order: RepeatedKeyVerifierTests.order) {
            let key = P384.Signing.PrivateKey()
            return (Array(key.publicKey.derRepresentation), { digest in
                let signature = try key.signature(for: digest)
                return (Array(signature.derRepresentation), Array(signature.rawRepresentation))
            })
        }
        static let p256 = Curve(name: "P-256", order: hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")) {
            let key = P256.Signing.PrivateKey()
            return (Array(key.publicKey.derRepresentation), { digest in
                let signature = try key.signature(for: digest)
                return (Array(signature.derRepresentation), Array(signature.rawRepresentation))
            })
        }
    }

    @Test(arguments: [Curve.p384, Curve.p256])
    func agreesWithOpenSSLOnValidAndMutatedSignatures(_ curve: Curve) throws {
        let (spki, sign) = curve.makeSigner()
        let key = try PublicKey(spkiDER: spki)
        let verifier = try #require(RepeatedKeyVerifier(key))
        let width = curve.order.count
        var generator = SystemRandomNumberGenerator()
        var accepted = 0
        for round in 0..<40 {
            let message = Array("message \(round)".utf8)
            // Digests shorter than, as long as and longer than the order (the leftmost bits count).
            let cases: [(DigestAlgorithm, [UInt8], (der: [UInt8], raw: [UInt8]))] = [
                (.sha384, Array(SHA384.hash(data: message)), try sign(SHA384.hash(data: message))),
                (.sha256, Array(SHA256.hash(data: message)), try sign(SHA256.hash(data: message))),
                (.sha512, Array(SHA512.hash(data: message)), try sign(SHA512.hash(data: message))),
            ]
            for (algorithm, digest, signature) in cases {
                let (r, s) = (Array(signature.raw[..<width]), Array(signature.raw[width...]))
                let one = [UInt8](repeating: 0, count: width - 1) + [1]
                var flipped = signature.der
                flipped[Int.random(in: 0..<flipped.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
                let candidates = [
                    signature.der, Self.signature(r: r, s: Self.minus(curve.order, s)),  // and its high-s twin
                    flipped, signature.der + [0],  // a changed byte, a trailing byte
                    Self.signature(r: r, s: s, padR: true),  // non-minimal INTEGER
                    Self.signature(r: Self.minus(r, one), s: s),  // r - 1
                    Self.signature(r: r, s: Self.plus(s, curve.order)),  // s + n: the same s modulo n
                    Self.signature(r: Self.plus(r, curve.order), s: s),  // r + n
                ]
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

    /// A key verifies plainly until its threshold of verifications, then prepared, with the same verdicts.
    @Test(arguments: [Curve.p384, Curve.p256])
    func aKeyUsedManyTimesIsPreparedAndKeepsItsVerdicts(_ curve: Curve) throws {
        let (spki, sign) = curve.makeSigner()
        let key = try PublicKey(spkiDER: spki)
        let message = Array("entry".utf8)
        let signature = try sign(SHA256.hash(data: message)).der
        var forged = signature
        forged[forged.count - 1] ^= 0x01
        var uses = 0
        while !key.isPrepared {
            #expect(key.verify(signature: signature, message: message, digest: .sha256))
            uses += 1
            try #require(uses <= 1100, "never prepared")
        }
        #expect(uses >= 16)
        for _ in 0..<3 {
            #expect(key.verify(signature: signature, message: message, digest: .sha256))
            #expect(!key.verify(signature: forged, message: message, digest: .sha256))
            #expect(!key.verify(signature: signature, message: message + [0], digest: .sha256))
        }
    }

    /// A P-256 key told that enough verifications are coming to pay for its table is prepared
    /// once in use (its 16th); told fewer, it waits for its threshold (512).
    @Test func aKeyExpectingManyVerificationsIsPreparedOnceInUse() throws {
        let signer = P256.Signing.PrivateKey()
        let message = Array("entry".utf8)
        let signature = Array(try signer.signature(for: SHA256.hash(data: message)).derRepresentation)
        func usesUntilPrepared(expecting expected: Int?) throws -> Int {
            let key = try PublicKey(spkiDER: Array(signer.publicKey.derRepresentation))
            if let expected { key.expectVerifications(atLeast: expected) }
            var uses = 0
            while !key.isPrepared {
                #expect(key.verify(signature: signature, message: message, digest: .sha256))
                uses += 1
                if uses > 600 { break }
            }
            #expect(key.verify(signature: signature, message: message, digest: .sha256))
            #expect(!key.verify(signature: signature, message: message + [0], digest: .sha256))
            return uses
        }
        let threshold = try #require(try PublicKey(spkiDER: Array(signer.publicKey.derRepresentation)).preparationThreshold)
        #expect(try usesUntilPrepared(expecting: threshold) == 16)
        #expect(try usesUntilPrepared(expecting: threshold - 1) == threshold)
        #expect(try usesUntilPrepared(expecting: nil) == threshold)
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
