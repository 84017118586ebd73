public import ArgumentParser

extension AsyncParsableCommand {
    /// Parses and runs the command as `main()` does, except that ArgumentParser's own refusals (an
    /// unknown option, a missing argument, a failed `validate`: its exit 64) end with the tool's
    /// documented usage code. `report` gets the full message (with the usage lines) and the short
    /// one, and prints them where the tool prints failures.
    public static func mainMappingUsage(to usageExitCode: Int32, report: @Sendable (_ full: String, _ message: String) -> Void) async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                report(fullMessage(for: error), message(for: error))
                exit(withError: ExitCode(usageExitCode))
            }
            exit(withError: error)
        }
    }
}
