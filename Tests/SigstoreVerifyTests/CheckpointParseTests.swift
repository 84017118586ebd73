import Foundation
@testable import SigstoreVerify
import Testing

/// The byte-wise parse of ordinary checkpoints must give exactly what the Character-wise parse
/// gives, and must leave every unusual note (CR, combining marks, other dashes) to that parse.
@Suite struct CheckpointParseTests {
    static let root = Data(repeating: 7, count: 32).base64EncodedString()
    static let blob = Data([1, 2, 3, 4, 9, 8, 7, 6, 5]).base64EncodedString()
    static let plain = "rekor.sigstore.dev - 1193050959916656506\n42\n\(root)\n\n\u{2014} rekor.sigstore.dev \(blob)\n"

    static let variants: [String] = [
        plain,
        plain + "\u{2014} witness.example \(blob)\n",
        plain.replacingOccurrences(of: "\n42\n", with: "\n+42\n"),
        plain.replacingOccurrences(of: "\n42\n", with: "\n-1\n"),
        plain.replacingOccurrences(of: "\n42\n", with: "\r\n42\n"),
        plain.replacingOccurrences(of: "dev - ", with: "dev\r - "),
        plain.replacingOccurrences(of: "\u{2014} rekor", with: "\u{2014} \u{0301}rekor"),
        plain.replacingOccurrences(of: "\u{2014} rekor", with: "\u{2013} rekor"),
        plain.replacingOccurrences(of: "\u{2014} rekor", with: "\u{2014}\u{0301} rekor"),
        plain.replacingOccurrences(of: "dev \(blob)", with: "dev  \(blob)"),
        plain.replacingOccurrences(of: "dev \(blob)", with: "dev\r \(blob)"),
        plain.replacingOccurrences(of: "\n\n", with: "\nextra line\n\n"),
        plain.replacingOccurrences(of: "rekor.sigstore.dev - ", with: "r\u{00E9}kor - "),
        plain + "\n",
        String(plain.dropLast()),
        plain.replacingOccurrences(of: root, with: String(root.dropLast(4))),
        plain.replacingOccurrences(of: blob, with: "AAAA"),
    ]

    static func fields(_ note: CheckpointCheck.Note) -> String {
        "\(note.signedText) \(note.origin) \(note.treeSize) \(note.rootHash) \(note.signatures.map { "\($0.name)|\($0.keyHint)|\($0.signature)" })"
    }

    @Test(arguments: variants)
    func byteParseAgreesWithCharacterParse(_ envelope: String) throws {
        let bytes = Array(envelope.utf8)
        let split = try #require(bytes.indices.dropLast().first { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A })
        let reference = try? CheckpointCheck.parseCharacterwise(bytes, split: split)
        if let fast = CheckpointCheck.plainNote(bytes, split: split) {
            #expect(reference.map(Self.fields) == Self.fields(fast))
        }
        #expect((try? CheckpointCheck.parse(envelope)).map(Self.fields) == reference.map(Self.fields))
    }

    @Test func ordinaryNotesTakeTheByteParse() {
        let bytes = Array(Self.plain.utf8)
        let split = bytes.indices.dropLast().first { bytes[$0] == 0x0A && bytes[$0 + 1] == 0x0A }!
        #expect(CheckpointCheck.plainNote(bytes, split: split)?.treeSize == 42)
    }

    /// Rekor v1 signs as its origin up to the first " - ", byte for byte.
    @Test(arguments: [
        ("rekor.sigstore.dev - 1193050959916656506", "rekor.sigstore.dev"), ("rekor.sigstore.dev", "rekor.sigstore.dev"),
        (" - 1", ""), ("a -b - c - d", "a -b"), ("a - ", "a"), ("ab", "ab"), ("", ""), ("\u{e9} - 1", "\u{e9}"),
        ("e\u{301} - 1", "e\u{301}"), ("a\u{2014} - 1", "a\u{2014}"), ("a\t-\t1", "a\t-\t1"),
    ])
    func theRekorV1SignerIsTheOriginUpToItsFirstSpacedDash(_ origin: String, _ name: String) {
        #expect(Array(CheckpointCheck.rekorV1Name(origin: origin).utf8) == Array(name.utf8))
    }
}
