import CodedError
import FixtureTesting
import Foundation
import NpmModel
@testable import RegistryClient
import Testing

/// The credentials npm sends a registry (npm-registry-fetch's `getAuth`), read from npmrc files.
@Suite struct CredentialTests {
    /// The configuration a project `.npmrc` and a user `~/.npmrc` give.
    func configuration(project: String, user: String = "") throws -> RegistryConfiguration {
        let root = Scratch.path("credentials")
        defer { try? FileManager.default.removeItem(at: root) }
        let (app, home) = (root.appendingPathComponent("app"), root.appendingPathComponent("home"))
        for (folder, text) in [(app, project), (home, user)] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: folder.appendingPathComponent(".npmrc"))
        }
        return try #require(try RegistryConfiguration.load(projectDirectory: app, homeDirectory: home, registryOverride: nil,
                                                           fallback: "https://registry.npmjs.org/", environment: [:]))
    }

    /// Found by review: Basic credentials were ignored, and a registry that serves anonymous
    /// requests other packages served us those.
    @Test func basicCredentialsAreSentAsNpmSendsThem() throws {
        let config = try configuration(project: """
            registry=https://corp.test/npm/
            //corp.test/npm/:_auth=dTpw
            //other.test/:username=bob
            //other.test/:_password=\(Data("s3cret".utf8).base64EncodedString())
            //both.test/:_authToken=tok
            //both.test/:_auth=ignored
            //tls.test/:certfile=/c.pem
            //tls.test/:keyfile=/k.pem
            """)
        #expect(config.credential(for: "https://corp.test/npm/x") == .basic("dTpw"))
        #expect(config.credential(for: "https://other.test/x/-/x-1.0.0.tgz") == .basic(Data("bob:s3cret".utf8).base64EncodedString()))
        #expect(config.credential(for: "https://both.test/x") == .bearer("tok"), "a token wins over _auth, as in npm")
        #expect(config.credential(for: "https://tls.test/x") == .clientCertificate)
        #expect(config.credential(for: "https://corp.test/npmevil/x") == nil)
    }

    /// Found by a re-attack: `_password` is decoded as Node decodes base64 (unpadded, URL-safe,
    /// stray characters skipped), not strictly, which sent an empty password.
    @Test(arguments: [("cGFzcw", "pass"), ("cGFzcw==", "pass"), ("cGF zcw", "pass"), ("cG!Fzcw", "pass"), ("cGFzc", "pas"),
                      ("YQ", "a"), ("Y", ""), ("a=b", ""), ("cGFz-w", "pas\u{FB}"), ("cGFz_w", "pas\u{FF}")])
    func passwordsAreDecodedAsNodeDecodesBase64(encoded: String, decoded: String) {
        #expect(RegistryCredential.nodeBase64Decoded(encoded) == Array(decoded.unicodeScalars.map { UInt8($0.value) }))
    }

    /// Found by a re-attack: the error for a credential set twice in the environment quoted both tokens.
    @Test func aCredentialSetTwiceInTheEnvironmentIsNotQuoted() {
        let environment = ["npm_config_//h.test/:_authToken": "SECRET_AAAA", "NPM_CONFIG_//h.test/:_authToken": "SECRET_BBBB"]
        let error = #expect(throws: NpmModelError.self) {
            try RegistryConfiguration.load(projectDirectory: Scratch.path("none"), homeDirectory: nil, registryOverride: nil,
                                           fallback: "https://h.test/", environment: environment)
        }
        #expect(error?.message.contains("twice") == true)
        #expect(error?.message.contains("SECRET") == false)
    }

    /// Found by a re-attack: keys that differ only by the host's case collided, and dictionary order
    /// chose the token; the one written in lower case wins, as npm matches only that one.
    @Test func ofTwoKeysDifferingInHostCaseTheLowerCaseOneWins() {
        for _ in 0..<20 {
            let config = RegistryConfiguration(registry: "https://h.test/", authTokens: ["//H.TEST/": "upper", "//h.test/": "lower"])
            #expect(config.token(for: "https://h.test/x") == "lower")
        }
        #expect(RegistryConfiguration(registry: "https://h.test/", authTokens: ["//H.Test/": "mixed"]).token(for: "https://h.test/x") == "mixed")
    }

    /// npm 9 and later refuse a credential a file does not scope to a registry.
    @Test(arguments: ["_auth=dTpw", "_authToken=t", "username=bob\n_password=cA=="])
    func anUnscopedCredentialInAFileIsRefusedAsNpmRefusesIt(line: String) {
        let error = #expect(throws: NpmModelError.self) { try configuration(project: line) }
        #expect(error?.message.contains("ERR_INVALID_AUTH") == true)
    }

    /// Found by review: a project `.npmrc` naming npm's default registry over plain http sent the
    /// user's token for it in the clear.
    @Test func theDefaultRegistryIsHTTPSWhateverAProjectSays() throws {
        let config = try configuration(project: "registry=http://registry.npmjs.org/\n", user: "//registry.npmjs.org/:_authToken=USER-SECRET\n")
        #expect(config.token(for: "http://registry.npmjs.org/left-pad") == nil)
        #expect(config.token(for: "https://registry.npmjs.org/left-pad") == "USER-SECRET")
    }
}
