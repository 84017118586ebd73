import ArgumentParser
import FixtureRegistry
import Foundation

/// `fixture-registry rotate-key`: expire the current signing key and make a new one.
struct RotateKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Expire the registry's signing key now and create a new one; prints the new key id.",
        discussion: """
            Versions published before the rotation keep their signatures, verifiable with the old key \
            (still listed by /-/npm/v1/keys, with its expires date); new versions are signed with the \
            new key. A registry running on the folder picks the new key up without a restart: it notices \
            that the key file was replaced before its next signature or keys answer. (A registry started \
            with --admin can also rotate through POST /rotate-key on its control port.)
            """
    )

    @Option(help: ArgumentHelp("The registry's storage folder.", valueName: "dir"))
    var storage: String

    func run() throws {
        do {
            let store = try CommandPaths.storage(storage)
            print(try store.keyring.rotate())
        } catch {
            FileHandle.standardError.write(Data("fixture-registry rotate-key: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
