import Foundation
import SafeJSON
import SigstoreVerify
import Testing
import CodedError

/// A checkpoint signature line counts only when its key hint and its signer name are the log's.
@Suite struct CheckpointSignerTests {
    static let name = "happy-path-intoto-in-dsse-v3"

    static func verify(editingCheckpoint edit: @escaping @Sendable (String) -> String) throws -> VerifiedBundle {
        try Attack.verify(name, bundle: JSONMutation.apply(try Attack.bundle(name), at: Attack.checkpoint, JSONMutation.editString(edit)))
    }

    /// Attack: the signature line's name is not signed; rename the signer, keep the key hint and signature.
    @Test(arguments: ["rekor.attacker.example", "rekor.sigstore.dev.", "Rekor.sigstore.dev", "rekor.sigstore.dev\u{0301}"])
    func signatureLineUnderAnotherNameIsRefused(_ signer: String) throws {
        let error = #expect(throws: VerificationError.self) {
            _ = try Self.verify { $0.replacingOccurrences(of: "\n\u{2014} rekor.sigstore.dev ", with: "\n\u{2014} \(signer) ") }
        }
        #expect(error?.code == .checkpoint, "\(error.map(String.init(describing:)) ?? "accepted")")
    }

    /// Attack: a second copy of the log's signature under another name beside the real line.
    @Test func extraLineWithTheLogsHintUnderAnotherNameIsRefused() throws {
        let error = #expect(throws: VerificationError.self) {
            _ = try Self.verify { note in
                guard let line = note.split(separator: "\n").last else { return note }
                return note + line.replacingOccurrences(of: " rekor.sigstore.dev ", with: " witness.attacker.example ") + "\n"
            }
        }
        #expect(error?.code == .checkpoint, "\(error.map(String.init(describing:)) ?? "accepted")")
    }

    /// Attack: every signature line costs a verification; the log's valid line repeated thousands
    /// of times made one 4 MB response cost 1.4 s of CPU, on every run that read it from the cache.
    @Test(arguments: [2, 17])
    func theLogsLineRepeatedIsRefusedBeforeAnyIsVerified(_ copies: Int) throws {
        let error = #expect(throws: VerificationError.self) {
            _ = try Self.verify { note in
                guard let line = note.split(separator: "\n").last else { return note }
                return note + String(repeating: line + "\n", count: copies - 1)
            }
        }
        #expect(error?.code == .checkpoint, "\(error.map(String.init(describing:)) ?? "accepted")")
        #expect(error?.message.contains(copies > CheckpointCheck.maxSignatureLines ? "at most 16" : "signs twice") == true,
                "\(error.map(String.init(describing:)) ?? "accepted")")
    }

    @Test func theRealCheckpointVerifies() throws {
        _ = try Self.verify { $0 }
    }
}
