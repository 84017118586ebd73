import Foundation
public import SigstoreModels

/// Which Rekor the publish writes to.
public enum RekorVersion: String, Sendable, CaseIterable {
    /// rekor.sigstore.dev: `dsse`/`intoto` entries with a signed entry timestamp (npm 10 and 11).
    case v1
    /// rekor-tiles (log2025-1): `hashedrekord` v0.0.2 entries, no SET; time from an RFC 3161 authority.
    case v2
}

extension TrustedPublishingClient {
    /// `POST <tsa>/api/v1/timestamp` with a `TimeStampReq` over the signature; returns the granted `TimeStampResp` DER.
    public func timestamp(signature: [UInt8]) async throws(PublishError) -> [UInt8] {
        let url = Self.join(configuration.timestampAuthorityURL, "api/v1/timestamp")
        let body = try await step.send(.timestamp, "RFC 3161 timestamp", method: "POST", url: url,
                                       headers: [("Content-Type", "application/timestamp-query"), ("Accept", "application/timestamp-reply")],
                                       body: Data(TimestampExchange.request(signature: signature)))
        try TimestampExchange.checkGranted(Array(body), url: url)
        return Array(body)
    }

    /// Rekor v2 `POST <log>/api/v2/log/entries` (200 or 201 expected) with a `hashedrekord` v0.0.2 request.
    public func logEntryV2(request: OrderedJSON, signature: [UInt8]) async throws(PublishError) -> TransparencyLogEntry {
        let url = Self.join(configuration.rekorURL, "api/v2/log/entries")
        let body = try await step.send(.rekor, "Rekor v2 log entry", method: "POST", url: url,
                                       headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                                       body: Data(request.bytes), accepted: 200...201)
        return try RekorV2Exchange.entry(fromResponse: body, signature: signature, url: url)
    }
}
