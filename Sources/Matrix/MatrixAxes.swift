/// The client a matrix cell runs, in the expected-verdict table's column order.
public enum MatrixClient: String, CaseIterable, Sendable, Codable, Comparable {
    case install = "verify-install install"
    case audit = "verify-install audit"
    case npmAudit = "npm audit signatures"
    case npmInstall = "npm install"

    /// Short form used in cell ids and file names.
    public var slug: String {
        switch self {
        case .install: "vi-install"
        case .audit: "vi-audit"
        case .npmAudit: "npm-audit"
        case .npmInstall: "npm-install"
        }
    }

    /// Whether the client is the real npm CLI (skipped, and reported so, when npm is not on PATH).
    public var isNpm: Bool { self == .npmAudit || self == .npmInstall }

    /// The npm client ours is compared with for "stricter than npm" (nil for npm itself).
    public var npmCounterpart: MatrixClient? {
        switch self {
        case .install: .npmInstall
        case .audit: .npmAudit
        case .npmAudit, .npmInstall: nil
        }
    }

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// The Sigstore bundle shape the world's seed attestations are published as.
public enum BundleShape: String, CaseIterable, Sendable, Codable, Comparable {
    /// npm 10: bundle v0.2 with an `intoto` transparency-log entry.
    case v02Intoto = "v0.2-intoto"
    /// npm 11: bundle v0.3 with a `dsse` transparency-log entry.
    case v03DSSE = "v0.3-dsse"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// The state of the registry's signing key when the client runs (changed after seeding).
public enum KeyState: String, CaseIterable, Sendable, Codable, Comparable {
    /// The key that signed every version is the current one.
    case current
    /// A new key is current; the signing key is still listed, expiring a year from now.
    case rotated
    /// A new key is current; the signing key is listed as expired *now*, after every version was
    /// published: npm (and we) accept signatures made before a key's expiry.
    case expired

    public static func < (a: Self, b: Self) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// The transparency log the seed provenance is logged in (the publish attestation stays in Rekor v1,
/// as the registry makes it).
public enum LogVersion: String, CaseIterable, Sendable, Codable, Comparable {
    /// Rekor v1: a `dsse` or `intoto` entry with a signed entry timestamp.
    case v1 = "rekor-v1"
    /// Rekor v2 (rekor-tiles): a `hashedrekord` v0.0.2 entry over the DSSE PAE, anchored by a C2SP
    /// checkpoint, no SET, the time from the world's RFC 3161 authority; bundle v0.3 only.
    case v2 = "rekor-v2"

    /// The heading of this log's table of expected verdicts in `Registry/scenarios/README.md`.
    public var verdictHeading: String { self == .v1 ? "## Expected verdicts" : "## Expected verdicts under Rekor v2" }

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// One cell: a scenario (nil: the happy path) on a consumer fixture, through a client, with a
/// bundle shape, a key state and the log the provenance is in.
public struct MatrixCell: Sendable, Hashable, Codable, Comparable {
    public let scenario: String?
    public let fixture: String
    public let client: MatrixClient
    public let shape: BundleShape
    public let keyState: KeyState
    public let log: LogVersion

    public init(scenario: String?, fixture: String, client: MatrixClient, shape: BundleShape, keyState: KeyState,
                log: LogVersion = .v1) {
        self.scenario = scenario
        self.fixture = fixture
        self.client = client
        self.shape = shape
        self.keyState = keyState
        self.log = log
    }

    /// Reads reports from before the log axis too (their cells were Rekor v1).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(scenario: try c.decodeIfPresent(String.self, forKey: .scenario), fixture: try c.decode(String.self, forKey: .fixture),
                  client: try c.decode(MatrixClient.self, forKey: .client), shape: try c.decode(BundleShape.self, forKey: .shape),
                  keyState: try c.decode(KeyState.self, forKey: .keyState),
                  log: try c.decodeIfPresent(LogVersion.self, forKey: .log) ?? .v1)
    }

    /// `none` for the happy path.
    public var scenarioName: String { scenario ?? "none" }

    /// A stable id (also the log's file name): `scenario.fixture.client.shape.keystate.log`.
    public var id: String {
        [scenarioName, fixture, client.slug, shape.rawValue, keyState.rawValue, log.rawValue].joined(separator: ".")
    }

    public static func < (a: Self, b: Self) -> Bool { a.id < b.id }
}
