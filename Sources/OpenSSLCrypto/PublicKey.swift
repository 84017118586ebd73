internal import COpenSSL
import FoundationEssentials
import Synchronization

/// A public key owned by an OpenSSL `EVP_PKEY`: ECDSA (P-256/P-384/P-521), Ed25519 or RSA.
///
/// Immutable after creation, so it may be shared across tasks.
public final class PublicKey: @unchecked Sendable {
    let pkey: OpaquePointer

    /// The key families Sigstore and npm use.
    public enum Kind: Sendable, Equatable {
        case ecdsa(curve: String)
        case ed25519
        case rsa(bits: Int)
        case other(String)
    }

    /// The RSA padding used by `verify`; ignored for other key types.
    public enum RSAPadding: Sendable { case pkcs1v15, pss }

    /// The key family and size, read once when the key is made.
    public let kind: Kind
    /// `spkiDER`, encoded on first use: one key (a registry's) is compared with thousands of log
    /// entries, and each OpenSSL 3 encoding sets up an encoder context.
    private let encoded = Mutex<[UInt8]?>(nil)
    /// This key's verifications, counted until it is worth preparing (ECDSA P-256 and P-384).
    let repeatedUse = RepeatedUse()
    /// Whether this key now verifies prepared (`RepeatedKeyVerifier`), after many verifications.
    public var isPrepared: Bool { repeatedUse.isPrepared }
    /// How many verifications `verify(signature:message:digest:)` makes before preparing this key; nil if never.
    public var preparationThreshold: Int? { RepeatedUse.threshold(kind) }
    /// The verification at which this key is prepared once `expectVerifications` has told it of at
    /// least `preparationThreshold` coming; nil if never.
    public var preparationThresholdWhenExpected: Int? { RepeatedUse.threshold(kind).map { min($0, RepeatedUse.inUse) } }

    /// The library context the key was decoded in (a certificate's, `DecoderContexts`), where it
    /// is verified too; nil for the default context. Verified in another context, OpenSSL 3.0
    /// would first export the key into that context's provider: a new EC_GROUP, about 20 µs, for
    /// each Fulcio leaf's key.
    let libraryContext: OpaquePointer?

    init(owning pkey: OpaquePointer, libraryContext: OpaquePointer? = nil) {
        self.pkey = pkey
        self.libraryContext = libraryContext
        kind = Self.kind(of: pkey)
    }

    deinit { EVP_PKEY_free(pkey) }

    // MARK: - Construction

    /// Parses a DER `SubjectPublicKeyInfo`.
    public convenience init(spkiDER: [UInt8]) throws {
        let key = parseWholeDER(spkiDER, { d2i_PUBKEY(nil, $0, $1) }, free: { EVP_PKEY_free($0) })
        guard let key else { throw OpenSSLError("d2i_PUBKEY: expected a DER SubjectPublicKeyInfo of \(spkiDER.count) bytes") }
        self.init(owning: key)
    }

    /// Parses a PEM `-----BEGIN PUBLIC KEY-----` block (the first one in `pem`).
    public convenience init(pem: String) throws {
        let key: OpaquePointer? = try BIOReader.withMemoryBIO(Array(pem.utf8)) { bio in
            PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let key else { throw OpenSSLError("PEM_read_bio_PUBKEY: expected a PEM public key") }
        self.init(owning: key)
    }

    /// Wraps a raw 32-byte Ed25519 public key.
    public convenience init(rawEd25519: [UInt8]) throws {
        guard rawEd25519.count == 32,
              let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, rawEd25519, rawEd25519.count)
        else { throw OpenSSLError("EVP_PKEY_new_raw_public_key: expected 32 raw Ed25519 bytes, found \(rawEd25519.count)") }
        self.init(owning: key)
    }

    /// Parses a DER PKCS#1 `RSAPublicKey`.
    public convenience init(rsaPKCS1DER: [UInt8]) throws {
        var cursor: UnsafePointer<UInt8>? = nil
        let key: OpaquePointer? = rsaPKCS1DER.withUnsafeBufferPointer { buffer in
            cursor = buffer.baseAddress
            return d2i_PublicKey(EVP_PKEY_RSA, nil, &cursor, buffer.count)
        }
        guard let key else { throw OpenSSLError("d2i_PublicKey(RSA): expected a DER PKCS#1 RSAPublicKey") }
        self.init(owning: key)
    }

    // MARK: - Properties

    /// The DER `SubjectPublicKeyInfo` encoding of this key (encoded once, then kept).
    public var spkiDER: [UInt8] {
        encoded.withLock { cached in
            if let cached { return cached }
            var out: UnsafeMutablePointer<UInt8>? = nil
            let length = i2d_PUBKEY(pkey, &out)
            guard length > 0, let out else { fatalError("i2d_PUBKEY failed: \(OpenSSLError.drain())") }
            defer { shim_free(out) }
            let der = Array(UnsafeBufferPointer(start: out, count: Int(length)))
            cached = der
            return der
        }
    }

    static func kind(of pkey: OpaquePointer) -> Kind {
        let id = EVP_PKEY_get_base_id(pkey)
        switch id {
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(pkey, &name, name.count, &length) == 1 else { return .ecdsa(curve: "unknown") }
            return .ecdsa(curve: String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        case EVP_PKEY_ED25519: return .ed25519
        case EVP_PKEY_RSA, EVP_PKEY_RSA_PSS: return .rsa(bits: Int(EVP_PKEY_get_bits(pkey)))
        default: return .other("nid \(id)")
        }
    }

    // MARK: - Verification

    /// Verifies `signature` over `message`, hashing with `digest` (must be nil for Ed25519).
    /// ECDSA signatures are DER `ECDSA-Sig-Value`. Returns false for a bad signature.
    /// Counts one verification toward preparing this key, and returns its prepared form
    /// (`RepeatedKeyVerifier`) once it has reached `preparationThreshold`; nil before then, and for
    /// keys that are never prepared.
    public func countingUse() -> RepeatedKeyVerifier? { repeatedUse.verifier(for: self) }

    /// Tells this key that at least `count` verifications under it are coming (an install that has
    /// planned a large tree, for a log's or a registry's key). When they would pay for preparing
    /// it, it is prepared as soon as it is in use rather than at `preparationThreshold`; the
    /// verdicts are the same either way.
    public func expectVerifications(atLeast count: Int) { repeatedUse.expect(atLeast: count) }

    /// Verifications this key has made so far; `Int.max` once it is prepared or being prepared
    /// (counting stops there). Keys told of coming verifications are picked by it.
    public var verificationsSoFar: Int { repeatedUse.verificationsSoFar }

    /// A key that has verified many signatures verifies the next ones prepared (`RepeatedKeyVerifier`),
    /// with the same verdicts.
    public func verify(signature: [UInt8], message: [UInt8], digest: DigestAlgorithm?, rsaPadding: RSAPadding = .pkcs1v15) -> Bool {
        if let digest, let prepared = countingUse() {
            return prepared.verify(signature: signature, digest: Digest.hash(digest, message))
        }
        guard let context = EVP_MD_CTX_new() else { fatalError("EVP_MD_CTX_new: out of memory") }
        defer { EVP_MD_CTX_free(context); ERR_clear_error() }
        var pctx: OpaquePointer? = nil
        // The digest by name, fetched where the key lives (nil: the default context).
        let digestName = kind == .ed25519 ? nil : digest?.name
        guard EVP_DigestVerifyInit_ex(context, &pctx, digestName, libraryContext, nil, pkey, nil) == 1 else { return false }
        if case .rsa = kind, rsaPadding == .pss, let pctx {
            guard EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 else { return false }
        }
        return EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
    }

    /// Verifies `signature` over an already computed digest (`sha256:<hex>` artifacts).
    /// Not available for Ed25519 (which signs messages, not digests).
    public func verify(signature: [UInt8], prehashedDigest: [UInt8], algorithm: DigestAlgorithm, rsaPadding: RSAPadding = .pkcs1v15) -> Bool {
        guard kind != .ed25519, prehashedDigest.count == algorithm.byteCount,
              let context = EVP_PKEY_CTX_new_from_pkey(libraryContext, pkey, nil) else { return false }
        defer { EVP_PKEY_CTX_free(context); ERR_clear_error() }
        guard EVP_PKEY_verify_init(context) == 1,
              EVP_PKEY_CTX_set_signature_md(context, algorithm.evp) == 1 else { return false }
        if case .rsa = kind {
            let padding = rsaPadding == .pss ? RSA_PKCS1_PSS_PADDING : RSA_PKCS1_PADDING
            guard EVP_PKEY_CTX_set_rsa_padding(context, padding) == 1 else { return false }
        }
        return EVP_PKEY_verify(context, signature, signature.count, prehashedDigest, prehashedDigest.count) == 1
    }
}
