public import Foundation

/// The four top-level TUF role keys. One key per role by default (as PROTOCOLS §8.9 proved);
/// `shared(_:)` uses one key for all roles (as npm's own test mock does, §8.3a).
public struct TUFRoleKeys: Sendable {
    public static let roleNames = ["root", "timestamp", "snapshot", "targets"]

    public var root: TUFSigningKey
    public var timestamp: TUFSigningKey
    public var snapshot: TUFSigningKey
    public var targets: TUFSigningKey

    public init(root: TUFSigningKey, timestamp: TUFSigningKey, snapshot: TUFSigningKey, targets: TUFSigningKey) {
        self.root = root
        self.timestamp = timestamp
        self.snapshot = snapshot
        self.targets = targets
    }

    /// Four fresh keys.
    public static func generate(_ algorithm: TUFSigningKey.Algorithm = .ed25519) -> TUFRoleKeys {
        TUFRoleKeys(root: .generate(algorithm), timestamp: .generate(algorithm),
                    snapshot: .generate(algorithm), targets: .generate(algorithm))
    }

    /// One key for all four roles.
    public static func shared(_ key: TUFSigningKey) -> TUFRoleKeys {
        TUFRoleKeys(root: key, timestamp: key, snapshot: key, targets: key)
    }

    /// The key of a role named `root`, `timestamp`, `snapshot` or `targets`.
    public func key(for role: String) -> TUFSigningKey? {
        switch role {
        case "root": root
        case "timestamp": timestamp
        case "snapshot": snapshot
        case "targets": targets
        default: nil
        }
    }

    // MARK: - Persistence

    /// Writes `<role>.pem` (PKCS#8) for each role into `directory`, creating it, mode 0600.
    public func save(to directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for role in Self.roleNames {
            let file = directory.appendingPathComponent("\(role).pem")
            do {
                try Data(key(for: role)!.pemRepresentation.utf8).write(to: file, options: .atomic)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
            } catch {
                throw TUFError.io(path: file.path, reason: "could not write the \(role) key: \(error)")
            }
        }
    }

    /// Reads the keys `save(to:)` wrote.
    public static func load(from directory: URL) throws -> TUFRoleKeys {
        func read(_ role: String) throws -> TUFSigningKey {
            let file = directory.appendingPathComponent("\(role).pem")
            guard let data = FileManager.default.contents(atPath: file.path), let pem = String(data: data, encoding: .utf8) else {
                throw TUFError.io(path: file.path, reason: "expected a PEM private key for the \(role) role, found no readable file")
            }
            do { return try TUFSigningKey(pem: pem) } catch {
                throw TUFError.io(path: file.path, reason: "\(error)")
            }
        }
        return TUFRoleKeys(root: try read("root"), timestamp: try read("timestamp"),
                           snapshot: try read("snapshot"), targets: try read("targets"))
    }

    /// Loads the keys from `directory` if all four files exist there, else generates and saves new ones.
    public static func loadOrCreate(at directory: URL, algorithm: TUFSigningKey.Algorithm = .ed25519) throws -> TUFRoleKeys {
        let present = roleNames.allSatisfy {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent("\($0).pem").path)
        }
        if present { return try load(from: directory) }
        let keys = generate(algorithm)
        try keys.save(to: directory)
        return keys
    }
}
