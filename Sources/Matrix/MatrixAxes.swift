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

/// One cell: a scenario (nil: the happy path) on a consumer fixture, through a client, with a
/// bundle shape and a key state.
public struct MatrixCell: Sendable, Hashable, Codable, Comparable {
    public let scenario: String?
    public let fixture: String
    public let client: MatrixClient
    public let shape: BundleShape
    public let keyState: KeyState

    public init(scenario: String?, fixture: String, client: MatrixClient, shape: BundleShape, keyState: KeyState) {
        self.scenario = scenario
        self.fixture = fixture
        self.client = client
        self.shape = shape
        self.keyState = keyState
    }

    /// `none` for the happy path.
    public var scenarioName: String { scenario ?? "none" }

    /// A stable id (also the log's file name): `scenario.fixture.client.shape.keystate`.
    public var id: String { [scenarioName, fixture, client.slug, shape.rawValue, keyState.rawValue].joined(separator: ".") }

    public static func < (a: Self, b: Self) -> Bool { a.id < b.id }
}
