import ArgumentParser
import FixtureRegistry
import Foundation

/// `fixture-registry token`: mint a bearer token for a user, print only the token.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Create a publish token for a user (created when missing); prints only the token on stdout.",
        discussion: """
            Only the token's SHA-256 is kept, in <storage>/auth/tokens.json. Use it from npm with a \
            project .npmrc line such as:

              //127.0.0.1:4873/:_authToken=$(fixture-registry token --storage /tmp/reg --user alice)

            A registry already running on the folder sees the new token at once.
            """
    )

    @Option(help: ArgumentHelp("The registry's storage folder.", valueName: "dir"))
    var storage: String

    @Option(help: "The user the token acts for (lowercase letters, digits, '-._').")
    var user: String

    @Option(help: ArgumentHelp("Limit the token to one package or to a @scope.", valueName: "name-or-@scope"))
    var package: String?

    @Option(help: ArgumentHelp("Lifetime in seconds (default: no expiry).", valueName: "seconds"))
    var ttl: Int?

    func validate() throws {
        if let ttl, ttl <= 0 || Double(ttl) > RegistryLimits.maxTokenLifetime {
            throw ValidationError("--ttl must be 1...\(Int(RegistryLimits.maxTokenLifetime)) seconds, got \(ttl)")
        }
    }

    func run() throws {
        do {
            let store = try CommandPaths.storage(storage)
            let token = try store.tokens.mint(user: user, restriction: package, lifetime: ttl.map(TimeInterval.init))
            print(token)
        } catch {
            FileHandle.standardError.write(Data("fixture-registry token: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
