import Foundation
import SafeJSON
import TUF

// TUF: metadata parsing — `SignedEnvelope.parse` for each top-level role, then the role's own decoder
// (`Root`, `Timestamp`, `Snapshot`, `Targets`), and `TrustedMetadata(rootData:referenceTime:)`, which
// also checks the root's self-signatures.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = fuzzData(start, count)
    if let envelope = try? SignedEnvelope.parse(data, expectedType: "root", role: "root") {
        _ = try? Root(envelope)
    }
    if let envelope = try? SignedEnvelope.parse(data, expectedType: "timestamp", role: "timestamp") {
        _ = try? Timestamp(envelope)
    }
    if let envelope = try? SignedEnvelope.parse(data, expectedType: "snapshot", role: "snapshot") {
        _ = try? Snapshot(envelope)
    }
    if let envelope = try? SignedEnvelope.parse(data, expectedType: "targets", role: "targets") {
        if let targets = try? Targets(envelope, name: "targets") {
            for role in targets.delegations?.roles ?? [] {
                _ = targets.delegatedRole(named: role.name)
                _ = role.covers("a/b/c.txt")
            }
            if let succinct = targets.delegations?.succinctRoles {
                _ = succinct.contains(succinct.role(for: "a/b/c.txt"))
            }
        }
    }
    _ = try? TrustedMetadata(rootData: data, referenceTime: Date(timeIntervalSince1970: 1_767_225_600))
    return 0
}
