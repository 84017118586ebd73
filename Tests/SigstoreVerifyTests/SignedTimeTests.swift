import Foundation
import SafeJSON
import SigstoreVerify
import Testing
import CodedError

/// A Rekor v1 `integratedTime` is a signing time only under a verified SET; an inclusion proof does not sign it.
@Suite struct SignedTimeTests {
    static let dsse = "happy-path-intoto-in-dsse-v3"

    /// Attack: the SET signs a time after the certificate expired; drop it and back-date integratedTime into the validity.
    @Test func setDroppedAndIntegratedTimeBackdatedIntoTheCertificateValidityIsRefused() throws {
        let name = "integrated-time-in-future_fail"
        var bundle = JSONMutation.apply(try Attack.bundle(name), at: Attack.entry, Attack.removing("inclusionPromise"))
        bundle = JSONMutation.apply(bundle, at: Attack.entry + [.key("integratedTime")], JSONMutation.addToInteger(-900))
        let error = #expect(throws: VerificationError.self) { _ = try Attack.verify(name, bundle: bundle) }
        #expect(error?.code == .timestampThreshold, "\(error.map(String.init(describing:)) ?? "accepted")")
    }

    /// Attack: a good bundle without its SET (inclusion proof and checkpoint intact) has no signed time left.
    @Test(arguments: [0, 60, -60])
    func setDroppedLeavesNoSignedTime(_ shift: Int64) throws {
        var bundle = JSONMutation.apply(try Attack.bundle(Self.dsse), at: Attack.entry, Attack.removing("inclusionPromise"))
        bundle = JSONMutation.apply(bundle, at: Attack.entry + [.key("integratedTime")], JSONMutation.addToInteger(shift))
        let error = #expect(throws: VerificationError.self) { _ = try Attack.verify(Self.dsse, bundle: bundle) }
        #expect(error?.code == .timestampThreshold, "\(error.map(String.init(describing:)) ?? "accepted")")
        #expect(error?.message.contains("signed") == true)
    }

    /// Without its SET the entry still proves inclusion, but only the RFC 3161 time is used (the certificate is checked there).
    @Test func proofOnlyEntryContributesNoTimeButTheTimestampAuthorityDoes() throws {
        let name = "intoto-with-custom-trust-root"
        let original = try Attack.bundle(name)
        var bundle = JSONMutation.apply(original, at: Attack.entry, Attack.removing("inclusionPromise"))
        bundle = JSONMutation.apply(bundle, at: Attack.entry + [.key("integratedTime")], JSONMutation.addToInteger(86_400 * 365))
        let verified = try Attack.verify(name, bundle: bundle)
        #expect(verified.timestamps.count == 1)
        let integrated = Date(timeIntervalSince1970: TimeInterval(Attack.integratedTime(bundle)))
        #expect(!verified.timestamps.contains(integrated))
    }

    /// A SET-signed time ahead of the verifier's clock is refused beyond the skew allowance, and
    /// only there: a log does not sign times it has not reached.
    @Test(arguments: [(299.0, true), (301.0, false)])
    func signedTimeAheadOfTheClock(ahead: TimeInterval, accepted: Bool) throws {
        let bundle = try Attack.bundle(Self.dsse)
        let integrated = Date(timeIntervalSince1970: TimeInterval(Attack.integratedTime(bundle)))
        let clock = integrated.addingTimeInterval(-ahead)
        if accepted {
            #expect(try Attack.verify(Self.dsse, bundle: bundle, now: clock).timestamps == [integrated])
        } else {
            let error = #expect(throws: VerificationError.self) { _ = try Attack.verify(Self.dsse, bundle: bundle, now: clock) }
            #expect(error?.code == .signingTime, "\(error.map(String.init(describing:)) ?? "accepted")")
            #expect(error?.message.contains("\(integrated)") == true)
        }
    }

    /// A verified SET still makes integratedTime a signing time.
    @Test func setSignedIntegratedTimeCounts() throws {
        let bundle = try Attack.bundle(Self.dsse)
        let verified = try Attack.verify(Self.dsse, bundle: bundle)
        #expect(verified.timestamps == [Date(timeIntervalSince1970: TimeInterval(Attack.integratedTime(bundle)))])
    }
}
