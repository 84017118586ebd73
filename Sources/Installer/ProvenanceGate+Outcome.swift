import CodedError
import NpmVerify
import SigstoreVerify

extension ProvenanceGate {
    /// One verdict, reduced to what the install needs (and Sendable across the pool).
    struct Outcome: Sendable {
        let predicateType: String
        let failedStep: String?
        let reason: String?
        let identity: ProvenanceIdentity?

        init(_ verdict: AttestationVerifier.Verdict) {
            predicateType = verdict.predicateType
            switch verdict.result {
            case .success(let verified):
                failedStep = nil
                reason = nil
                identity = ProvenanceIdentity(verified)
            case .failure(let error):
                failedStep = verdict.failure
                reason = Self.reason(of: error)
                identity = nil
            }
        }

        static func step(of error: any Error) -> String {
            switch error {
            case let error as VerificationError: error.code.rawValue
            case let error as NpmVerifyError: error.code.rawValue
            default: "response"
            }
        }

        static func reason(of error: any Error) -> String {
            switch error {
            case let error as VerificationError: error.message
            case let error as NpmVerifyError: error.message
            default: "\(error)"
            }
        }
    }
}
