import Foundation

/// Content negotiation between the full and the abbreviated packument.
///
/// pacote asks for `application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*`
/// when it wants the abbreviated form and `application/json` when it needs the full one
/// (`npm audit signatures`, `--before`). No `Accept` header, or only wildcards, means full.
public enum PackumentForm: String, Sendable {
    case full = "application/json"
    case abbreviated = "application/vnd.npm.install-v1+json"

    /// The `Accept` header npm sends for packuments.
    static let npmAccept = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"

    /// The form an `Accept` header prefers: abbreviated only if it names the corgi
    /// media type explicitly with a quality at least that of `application/json`.
    public init(accept: String?) {
        guard let accept else { self = .full; return }
        // npm's own header (and the consumer's), on every packument request: decided once.
        if accept == Self.npmAccept { self = .abbreviated; return }
        var corgi: Double?
        var json = 0.0
        for range in accept.split(separator: ",") {
            let parts = range.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let type = parts.first else { continue }
            let quality = parts.dropFirst().compactMap { parameter -> Double? in
                guard parameter.hasPrefix("q=") else { return nil }
                return Double(parameter.dropFirst(2))
            }.first ?? 1.0
            switch type {
            case Self.abbreviated.rawValue: corgi = max(corgi ?? 0, quality)
            case Self.full.rawValue, "application/*", "*/*": json = max(json, quality)
            default: break
            }
        }
        if let corgi, corgi > 0, corgi >= json { self = .abbreviated } else { self = .full }
    }
}
