import ArgumentParser

/// The `fixture-registry` root command; the work happens in its subcommands.
///
/// The entry point is `@main` here rather than a `main.swift`: from top-level code,
/// `await Command.main()` resolves to the synchronous `ParsableCommand.main()`, which
/// never runs an async subcommand.
@main
struct FixtureRegistryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fixture-registry",
        abstract: "A loopback npm registry for hermetic install and verification tests.",
        discussion: """
            fixture-registry serves npm packuments (full and abbreviated) and tarballs \
            from a storage folder, loaded at start with the seed packages in \
            Registry/packages/. The real npm CLI installs from it:

              fixture-registry serve --port 4873 &
              npm install @mochi/example --registry http://127.0.0.1:4873/

            With --port 0 the system picks a free port; read it from the one JSON \
            line `serve` prints first on stdout:

              {"registry":"http://127.0.0.1:43117/","storage":"/tmp/fixture-registry-…"}

            With --admin or --scenario NAME the line also carries "admin", a control port on \
            127.0.0.1 that switches fault scenarios (Registry/scenarios) and serves the request log.

            Logs go to stderr. Seeds: one folder per package, one subfolder per \
            version with its package.json and files, and dist-tags.json mapping tags \
            to versions (see Registry/README.md).
            """,
        subcommands: [ServeCommand.self, GenerateCommand.self, SeedCommand.self, TokenCommand.self, RotateKeyCommand.self, RecordCommand.self]
    )
}
