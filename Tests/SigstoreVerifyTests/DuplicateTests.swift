import Foundation
import SafeJSON
import SigstoreVerify
import Testing
import CodedError

/// The same RFC 3161 timestamp or log entry listed twice is refused (sigstore-js: "duplicate timestamp").
@Suite struct DuplicateTests {
    static let rekorV2 = "rekor2-happy-path"

    /// Attack: one TSA token repeated, to count twice towards a timestamp threshold.
    @Test func repeatedTimestampTokenIsRefused() throws {
        let bundle = JSONMutation.apply(try Attack.bundle(Self.rekorV2), at: Attack.timestamps, Attack.repeating(0))
        let error = #expect(throws: VerificationError.self) { _ = try Attack.verify(Self.rekorV2, bundle: bundle) }
        #expect(error?.code == .duplicate, "\(error.map(String.init(describing:)) ?? "accepted")")
    }

    /// Attack: the same token in a response whose unsigned status says grantedWithMods (other bytes, same token).
    @Test func timestampTokenRewrappedWithAnotherStatusIsRefused() throws {
        let rewrap: @Sendable (JSONValue) -> JSONValue = { item in
            JSONMutation.apply(item, at: [.key("signedTimestamp")]) { value in
                var der = [UInt8](Data(base64Encoded: value.stringValue ?? "") ?? Data())
                precondition(der[4...8] == [0x30, 0x03, 0x02, 0x01, 0x00], "expected PKIStatusInfo { granted } first")
                der[8] = 0x01
                return .string(Data(der).base64EncodedString())
            }
        }
        let bundle = JSONMutation.apply(try Attack.bundle(Self.rekorV2), at: Attack.timestamps, Attack.repeating(0, rewrap))
        let error = #expect(throws: VerificationError.self) { _ = try Attack.verify(Self.rekorV2, bundle: bundle) }
        #expect(error?.code == .duplicate, "\(error.map(String.init(describing:)) ?? "accepted")")
    }

    /// Attack: one log entry repeated (Rekor v2 entries carry no time to tell them apart).
    @Test(arguments: ["rekor2-happy-path", "happy-path-intoto-in-dsse-v3"])
    func repeatedLogEntryIsRefused(_ name: String) throws {
        let bundle = JSONMutation.apply(try Attack.bundle(name), at: [.key("verificationMaterial"), .key("tlogEntries")], Attack.repeating(0))
        let error = #expect(throws: VerificationError.self) { _ = try Attack.verify(name, bundle: bundle) }
        #expect(error?.code == .duplicate, "\(error.map(String.init(describing:)) ?? "accepted")")
        #expect(error?.message.contains("log entries 0 and 1") == true)
    }
}
