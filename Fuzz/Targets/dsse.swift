import Foundation
import SafeJSON
import SigstoreModels

// SigstoreModels: DSSE envelope decoding (`DSSEEnvelope(json:)`, PAE) and `InTotoStatement(payload:)`,
// both on the raw input and on a decoded envelope's payload.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = fuzzBytes(start, count)
    if let statement = try? InTotoStatement(payload: bytes) { _ = statement.subjects.count }
    guard let json = try? JSONField.parse(Data(bytes)) else { return 0 }
    for candidate in [json, (try? json.optional("dsseEnvelope")) ?? nil].compactMap({ $0 }) {
        guard let envelope = try? DSSEEnvelope(json: candidate) else { continue }
        _ = envelope.pae
        _ = envelope.signature
        if let statement = try? InTotoStatement(payload: envelope.payload) { _ = statement.predicate?.briefDescription }
    }
    return 0
}
