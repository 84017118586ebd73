import FoundationEssentials
import Hex
import OpenSSLCrypto
public import SigstoreModels
import CodedError

/// Verifies a Rekor checkpoint (signed note) against the log key, PROTOCOLS §6.5.
///
/// Like sigstore-js, every signature line must carry the 4-byte key hint of a
/// trusted log valid at the entry's time and verify with that log's key, and at
/// least one line must be the entry's own log. The signer name is not signed, so a line
/// with the log's hint must also carry the log's name (Rekor v1: the origin up to " - ").
/// The tree size and root hash must equal the proof's. Names compare byte for byte.
public struct CheckpointCheck: Sendable {
    public init() {}

    /// A parsed signed note.
    public struct Note: Sendable, Equatable {
        public let signedText: [UInt8]
        public let origin: String
        public let treeSize: Int64
        public let rootHash: [UInt8]
        public let signatures: [(name: String, keyHint: [UInt8], signature: [UInt8])]

        public static func == (a: Note, b: Note) -> Bool { a.signedText == b.signedText }
    }

    /// Most signature lines a note may carry: the log's own and a few witnesses' cosignatures.
    /// Every line costs a signature verification, so a registry must not be able to list thousands.
    public static let maxSignatureLines = 16

    /// Parses the note text; malformed notes are `.checkpoint` errors, and so are notes with more
    /// than ``maxSignatureLines`` signature lines or with one signer (name and key hint) twice.
    public static func parse(_ envelope: String) throws -> Note {
        let bytes = Array(envelope.utf8)
        guard let split = bytes.indices.dropLast().first(where: { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A }) else {
            throw VerificationError(.checkpoint, "expected a blank line between the note text and its signatures")
        }
        let note = try plainNote(bytes, split: split) ?? parseCharacterwise(bytes, split: split)
        guard note.signatures.count <= maxSignatureLines else {
            throw VerificationError(.checkpoint, "expected at most \(maxSignatureLines) checkpoint signature lines, found \(note.signatures.count)")
        }
        var signers = Set<[UInt8]>()
        for line in note.signatures where !signers.insert(Array(line.name.utf8) + [0] + line.keyHint).inserted {
            throw VerificationError(.checkpoint, "checkpoint signer \(line.name) (key hint \(Hex.encode(line.keyHint))) signs twice")
        }
        return note
    }

    /// `parse` on Characters, for any note; `split` is the index of the first of the two newlines.
    static func parseCharacterwise(_ bytes: [UInt8], split: Int) throws -> Note {
        let signedText = Array(bytes[...split])
        let lines = String(decoding: signedText.dropLast(), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, !lines[0].isEmpty, let size = Int64(lines[1]), size >= 0,
              let root = Data(base64Encoded: String(lines[2])), root.count == 32 else {
            throw VerificationError(.checkpoint, "expected origin, tree size and base64 root hash lines")
        }
        let signatureText = String(decoding: bytes[(split + 2)...], as: UTF8.self)
        guard signatureText.hasSuffix("\n") else { throw VerificationError(.checkpoint, "expected every signature line to end with a newline") }
        var signatures: [(String, [UInt8], [UInt8])] = []
        for line in signatureText.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0] == "\u{2014}", !parts[1].isEmpty,
                  let blob = Data(base64Encoded: String(parts[2])), blob.count >= 5 else {
                throw VerificationError(.checkpoint, "expected signature lines of the form \"\u{2014} <name> <base64>\"")
            }
            signatures.append((String(parts[1]), Array(blob.prefix(4)), Array(blob.dropFirst(4))))
        }
        guard !signatures.isEmpty else { throw VerificationError(.checkpoint, "expected at least one signature line") }
        return Note(signedText: signedText, origin: String(lines[0]), treeSize: size, rootHash: Array(root), signatures: signatures)
    }

    /// `parse` for the usual note, split on bytes: ASCII without CR, every signature line starting
    /// with an em dash. There every byte but the dash is one Character, so the result is the one the
    /// Character-wise parse gives; nil for anything else, which that parse then handles (or refuses).
    static func plainNote(_ bytes: [UInt8], split: Int) -> Note? {
        let dash: [UInt8] = [0xE2, 0x80, 0x94]
        let text = bytes[...split].dropLast(), tail = bytes[(split + 2)...]
        guard text.allSatisfy({ $0 < 0x80 && $0 != 0x0D }), tail.last == 0x0A else { return nil }
        let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count >= 3, !lines[0].isEmpty, let size = Int64(String(decoding: lines[1], as: UTF8.self)), size >= 0,
              let root = Data(base64Encoded: String(decoding: lines[2], as: UTF8.self)), root.count == 32 else { return nil }
        var signatures: [(String, [UInt8], [UInt8])] = []
        for line in tail.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false) {
            guard line.starts(with: dash), line.dropFirst(3).allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
            let parts = line.dropFirst(3).split(separator: 0x20, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].isEmpty, !parts[1].isEmpty,
                  let blob = Data(base64Encoded: String(decoding: parts[2], as: UTF8.self)), blob.count >= 5 else { return nil }
            signatures.append((String(decoding: parts[1], as: UTF8.self), Array(blob.prefix(4)), Array(blob.dropFirst(4))))
        }
        guard !signatures.isEmpty else { return nil }
        return Note(signedText: Array(bytes[...split]), origin: String(decoding: lines[0], as: UTF8.self), treeSize: size,
                    rootHash: Array(root), signatures: signatures)
    }

    /// Throws `.checkpoint` unless the entry's `log` signed the note, every other line is
    /// signed by one of `trustedLogs`, and the note agrees with `proof`.
    public func verify(_ envelope: String, proof: TransparencyLogEntry.InclusionProof, log: TrustedMaterial.Log,
                       trustedLogs: [TrustedMaterial.Log]) throws {
        let note = try Self.parse(envelope)
        let ownHint = Array(log.instance.logID.prefix(4))
        let name = Self.rekorV1Name(origin: note.origin)
        guard note.signatures.contains(where: { $0.keyHint == ownHint }) else {
            throw VerificationError(.checkpoint, "no checkpoint signature carries the log's key hint \(Hex.encode(ownHint))")
        }
        for line in note.signatures {
            guard let signer = ([log] + trustedLogs).first(where: { Array($0.instance.logID.prefix(4)) == line.keyHint }) else {
                throw VerificationError(.checkpoint, "checkpoint signature by \(line.name) has key hint \(Hex.encode(line.keyHint)) of no trusted log")
            }
            guard line.keyHint != ownHint || Self.same(line.name, name) else {
                throw VerificationError(.checkpoint, "checkpoint signature with the log's key hint \(Hex.encode(ownHint)) names signer \"\(line.name)\", expected \"\(name)\" (origin \"\(note.origin)\")")
            }
            let digest: DigestAlgorithm? = signer.key.kind == .ed25519 ? nil : .sha256
            guard signer.key.verify(signature: line.signature, message: note.signedText, digest: digest) else {
                throw VerificationError(.checkpoint, "checkpoint signature by \(line.name) does not verify with the log key")
            }
        }
        guard constantTimeEquals(note.rootHash, proof.rootHash) else {
            throw VerificationError(.checkpoint, "checkpoint root hash differs from the inclusion proof's rootHash")
        }
        guard note.treeSize == proof.treeSize else {
            throw VerificationError(.checkpoint, "expected checkpoint tree size \(proof.treeSize), found \(note.treeSize)")
        }
    }

    // MARK: - Rekor v2 (C2SP signed notes)

    /// Rekor v2: the origin must be the log's name (its base URL host); one signature line with
    /// that name and the log's C2SP key id must verify; other lines (cosignatures) are ignored.
    public func verifyRekorV2(_ envelope: String, proof: TransparencyLogEntry.InclusionProof, log: TrustedMaterial.Log) throws {
        let note = try Self.parse(envelope)
        let name = Self.logName(log.instance.baseURL)
        guard Self.same(note.origin, name) else {
            throw VerificationError(.checkpoint, "expected checkpoint origin \(name), found \(note.origin)")
        }
        let hint = Self.keyID(name: name, key: log.key, logID: log.instance.logID)
        let digest: DigestAlgorithm? = log.key.kind == .ed25519 ? nil : .sha256
        let verified = note.signatures.contains { line in
            Self.same(line.name, name) && line.keyHint == hint && log.key.verify(signature: line.signature, message: note.signedText, digest: digest)
        }
        guard verified else { throw VerificationError(.checkpoint, "no checkpoint signature by \(name) verifies with the log key") }
        guard constantTimeEquals(note.rootHash, proof.rootHash) else {
            throw VerificationError(.checkpoint, "checkpoint root hash differs from the inclusion proof's rootHash")
        }
        guard note.treeSize == proof.treeSize else {
            throw VerificationError(.checkpoint, "expected checkpoint tree size \(proof.treeSize), found \(note.treeSize)")
        }
    }

    /// Rekor v1's signer name: its origin is `<hostname> - <treeID>` and it signs as `<hostname>`.
    static func rekorV1Name(origin: String) -> String {
        // A byte scan for the first " - " (the generic `firstRange(of:)` cost 0.5% of an install).
        let bytes = Array(origin.utf8)
        guard bytes.count >= 3 else { return origin }
        for index in 0...(bytes.count - 3) where bytes[index] == 0x20 && bytes[index + 1] == 0x2D && bytes[index + 2] == 0x20 {
            return String(decoding: bytes[..<index], as: UTF8.self)
        }
        return origin
    }

    /// Byte equality (Swift `==` also equates canonically equivalent text).
    static func same(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }

    /// The signed-note name of a log: its base URL without scheme or trailing slash.
    static func logName(_ baseURL: String) -> String {
        var name = Substring(baseURL)
        if let range = name.utf8.firstRange(of: "://".utf8) { name = name[range.upperBound...] }
        while name.hasSuffix("/") { name = name.dropLast() }
        return String(name)
    }

    /// C2SP signed-note key id: Ed25519 = SHA-256(name || "\n" || 0x01 || key)[0:4]; ECDSA = SHA-256(SPKI)[0:4] (the log id prefix).
    static func keyID(name: String, key: PublicKey, logID: [UInt8]) -> [UInt8] {
        guard key.kind == .ed25519 else { return Array(logID.prefix(4)) }
        return Array(Digest.hash(.sha256, Array(name.utf8) + [0x0A, 0x01] + key.spkiDER.suffix(32)).prefix(4))
    }
}
