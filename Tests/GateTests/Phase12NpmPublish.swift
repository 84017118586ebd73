import Testing

/// The Phase 12 gate: a package published through npm Trusted Publishing with Sigstore
/// provenance, installed and verified by a consumer, and audited by us and by the real npm.
@Suite("Phase12NpmPublish", .serialized)
struct Phase12NpmPublish {
    @Test func emit_workflow() async throws { try await emitWorkflow() }
    @Test func oidc_token_exchange_recorded() async throws { try await oidcTokenExchangeRecorded() }
    @Test func attestation_generated() async throws { try await attestationGenerated() }
    @Test func consumer_verification() async throws { try await consumerVerification() }
    @Test func npm_audit_signatures() async throws { try await npmAuditSignatures() }
}
