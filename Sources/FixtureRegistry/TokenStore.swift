import Crypto
import Hex
public import Foundation
import Synchronization

/// Bearer tokens and users of the fixture registry, persisted in
/// `<storage>/auth/tokens.json`.
///
/// Only the SHA-256 of a token is stored. Each token names its user, an
/// optional package or `@scope` it is limited to, an expiry and where it came
/// from (`cli`, `login`, `config`; an OIDC exchange will add `oidc` with a
/// short lifetime through ``mint(user:restriction:lifetime:origin:)``).
public final class TokenStore: Sendable {
    /// One stored token.
    struct Record: Codable, Sendable, Equatable {
        var hash: String
        var user: String
        var package: String?
        var expires: Date?
        var created: Date
        var origin: String
    }

    private struct State: Codable, Sendable {
        var users: [String: RegistryConfig.User] = [:]
        var tokens: [Record] = []
        /// The `jti` of each ID token exchanged, with when (kept an hour, longer than any ID token
        /// lives); stored, so a restart does not forget them (found by review).
        var exchanged: [String: Date]? = nil
    }

    private let file: URL
    private let clock: @Sendable () -> Date
    private let state: Mutex<State>
    private let config: Mutex<RegistryConfig>
    private let generator = Mutex(TokenGenerator.random)
    /// Records an ID token's `jti` as exchanged; false when it already was within the hour (found by
    /// review: one GitHub ID token was exchanged three times for three publish tokens, and again
    /// after a restart).
    func claimExchange(of tokenID: String) throws(RegistryError) -> Bool {
        let now = clock()
        var fresh = false
        try edit { state in
            var seen = (state.exchanged ?? [:]).filter { now.timeIntervalSince($0.value) < 3600 }
            fresh = seen[tokenID] == nil
            if fresh { seen[tokenID] = now }
            state.exchanged = seen
        }
        return fresh
    }

    init(directory: URL, config: RegistryConfig, clock: @escaping @Sendable () -> Date) throws(RegistryError) {
        file = directory.appendingPathComponent("auth/tokens.json")
        self.clock = clock
        var loaded = State()
        if let data = try AtomicFile.read(file, limit: RegistryLimits.maxPackumentBytes) {
            do { loaded = try StorageJSON.decoder.decode(State.self, from: data) } catch {
                throw .storage(path: file.path, reason: "not a token store: \(error)")
            }
        }
        state = Mutex(loaded)
        self.config = Mutex(config)
    }

    /// The access configuration in force.
    public var configuration: RegistryConfig {
        get { config.withLock { $0 } }
        set { config.withLock { $0 = newValue } }
    }

    /// How new token strings are made: ``TokenGenerator/random`` unless a recorded flow
    /// installs a deterministic one (``TokenGenerator/hmac(secret:)``) before serving.
    public var tokenGenerator: TokenGenerator {
        get { generator.withLock { $0 } }
        set { generator.withLock { $0 = newValue } }
    }

    // MARK: - Tokens

    /// Creates a token for `user` (creating the user when missing) and returns it; only its hash is kept.
    ///
    /// - Parameters:
    ///   - restriction: a package name or `@scope` the token may act on, or nil for all.
    ///   - lifetime: seconds until it expires, or nil for no expiry.
    ///   - seed: what a deterministic ``tokenGenerator`` derives the token from (the OIDC
    ///     exchange passes the ID token's `jti`); the default random generator ignores it.
    public func mint(user: String, restriction: String? = nil, lifetime: TimeInterval? = nil,
                     origin: String = "cli", seed: String? = nil) throws(RegistryError) -> String {
        try Self.validate(user: user)
        if let restriction { try Self.validate(restriction: restriction) }
        let token = tokenGenerator.token(seed: seed)
        let now = clock()
        try edit { state in
            // Expired tokens authenticate nothing: dropped, so the file does not grow with every
            // exchange until it is past what the store reads (found by review).
            state.tokens.removeAll { $0.expires.map { $0 <= now } ?? false }
            if state.users[user] == nil, configuration.users[user] == nil { state.users[user] = RegistryConfig.User() }
            state.tokens.append(Record(hash: Self.hash(token), user: user, package: restriction,
                                       expires: lifetime.map { now.addingTimeInterval($0) }, created: now, origin: origin))
        }
        return token
    }

    /// The user a bearer token speaks for, or nil when it is unknown or expired.
    public func authenticate(_ token: String) -> AuthenticatedUser? {
        let hash = Self.hash(token)
        if let fixed = configuration.tokens.first(where: { Self.hash($0.token) == hash }) {
            return AuthenticatedUser(name: fixed.user, restriction: fixed.package)
        }
        let now = clock()
        return state.withLock { state in
            let find = { (tokens: [Record]) in
                tokens.first { $0.hash == hash && ($0.expires.map { $0 > now } ?? true) }
                    .map { AuthenticatedUser(name: $0.user, restriction: $0.package, publishOnly: $0.origin.hasPrefix("oidc:")) }
            }
            if let user = find(state.tokens) { return user }
            // A token minted by `fixture-registry token` while this registry runs is only on disk yet.
            guard let data = try? AtomicFile.read(file, limit: RegistryLimits.maxPackumentBytes),
                  let reloaded = try? StorageJSON.decoder.decode(State.self, from: data) else { return nil }
            state = reloaded
            return find(reloaded.tokens)
        }
    }

    /// npm's legacy login: checks a configured user's password and mints a login token.
    public func login(user: String, password: String) throws(RegistryError) -> String {
        guard let expected = configuration.users[user]?.password else {
            throw .unauthorized("There is no user with the username \"\(user)\" that can log in with a password.")
        }
        guard Data(SHA256.hash(data: Data(expected.utf8))) == Data(SHA256.hash(data: Data(password.utf8))) else {
            throw .unauthorized("Incorrect username or password for \"\(user)\".")
        }
        return try mint(user: user, lifetime: RegistryLimits.loginTokenLifetime, origin: "login")
    }

    /// Whether `user` is known (from the config, a minted token or a login).
    public func hasUser(_ user: String) -> Bool {
        configuration.users[user] != nil || state.withLock { $0.users[user] != nil }
    }

    /// The e-mail of a user, if configured.
    func email(of user: String) -> String? { configuration.users[user]?.email }

    /// The stored records (hashes only), for tests and audits.
    var records: [Record] { state.withLock { $0.tokens } }

    // MARK: - Helpers

    private func edit(_ body: (inout State) throws(RegistryError) -> Void) throws(RegistryError) {
        try state.withLock { state throws(RegistryError) in
            // From what is on disk: `fixture-registry token` may have added a token while this
            // registry runs, which a write from memory would drop.
            if let data = try? AtomicFile.read(file, limit: RegistryLimits.maxPackumentBytes),
               let stored = try? StorageJSON.decoder.decode(State.self, from: data) {
                state = stored
            }
            var copy = state
            try body(&copy)
            let data: Data
            do { data = try StorageJSON.encoder.encode(copy) } catch { throw .storage(path: file.path, reason: "cannot encode: \(error)") }
            try AtomicFile.write(data, to: file)
            state = copy
        }
    }

    static func hash(_ token: String) -> String {
        Hex.encode(SHA256.hash(data: Data(token.utf8)))
    }

    /// `npm_` and 36 random base62 characters, like npm's own tokens.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return "npm_" + String((0..<36).map { _ in TokenGenerator.alphabet[Int(generator.next(upperBound: UInt32(TokenGenerator.alphabet.count)))] })
    }

    static func validate(user: String) throws(RegistryError) {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-._")
        guard !user.isEmpty, user.count <= 214, user.allSatisfy(allowed.contains), user.first != "." else {
            throw .forbidden("invalid user name \"\(user)\": expected lowercase letters, digits and '-._'")
        }
    }

    static func validate(restriction: String) throws(RegistryError) {
        if restriction.hasPrefix("@"), !restriction.contains("/") {
            _ = try PackageName("\(restriction)/x")
        } else {
            _ = try PackageName(restriction)
        }
    }
}
