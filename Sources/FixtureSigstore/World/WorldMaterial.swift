public import Foundation

/// The long-lived keys of a fixture Sigstore world, persisted so that a restarted world
/// keeps the trust its published bundles were signed under (the Rekor log keeps its own
/// key and entries beside this file).
///
/// TEST-ONLY: every key here signs fixture data and nothing else.
public struct WorldMaterial: Sendable, Codable, Equatable {
    /// When the material was made: the `validFor.start` of every trusted-root entry.
    public var created: Date
    /// RSA key of the GitHub-Actions-like OIDC issuer.
    public var oidcKeyPEM: String
    /// P-256 key of the CT log.
    public var ctLogKeyPEM: String
    /// Fulcio's root, intermediate and intermediate key.
    public var fulcio: FulcioCA.Material

    static let fileName = "world-material.json"

    /// Fresh keys for a world created at `now`. The CA becomes valid an hour before `now`
    /// so that pinned clocks slightly behind the wall clock still verify.
    public static func generate(now: Date) async throws -> WorldMaterial {
        let start = Date(timeIntervalSince1970: (now.timeIntervalSince1970 - 3600).rounded(.down))  // whole seconds survive ISO 8601
        let issuer = try await OIDCIssuer(issuerURL: SigstoreWorld.githubIssuer, job: SigstoreWorld.defaultJob)
        let ctLog = try CTLog()
        return WorldMaterial(created: start, oidcKeyPEM: issuer.privateKeyPEM, ctLogKeyPEM: ctLog.privateKeyPEM,
                             fulcio: try FulcioCA.Material.generate(notBefore: start))
    }

    /// The material stored in `directory`, or new material written there first.
    public static func loadOrCreate(in directory: URL, now: Date) async throws -> WorldMaterial {
        let file = directory.appendingPathComponent(fileName)
        if let data = try? Data(contentsOf: file) {
            do { return try JSONDecoder.world.decode(WorldMaterial.self, from: data) } catch {
                throw WorldError("\(file.path) is not a world material file: \(error)")
            }
        }
        let material = try await generate(now: now)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(fileName).\(UUID().uuidString)")
        try JSONEncoder.world.encode(material).write(to: temporary)
        guard rename(temporary.path, file.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw WorldError("cannot move the world material into \(file.path): errno \(errno)")
        }
        return material
    }
}

/// A fixture world that cannot be set up, naming the file or service.
public struct WorldError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = "fixture Sigstore world: " + description }
}

extension JSONEncoder {
    static var world: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    static var world: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
