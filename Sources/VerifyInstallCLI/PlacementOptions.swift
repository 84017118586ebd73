import ArgumentParser

/// npm's `--omit`, `--include`, `--os`, `--cpu` and `--libc` for `install` and `ci`: the highest
/// layer of npm's settings, above `npm_config_*` and every `.npmrc`, as on npm's command line.
struct PlacementOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Leave this kind of dependency off disk, as npm does: dev, optional or peer; repeat for more (default: npm's omit setting; dev when NODE_ENV=production). install still verifies and locks what it leaves out; ci does not fetch it.", valueName: "type"))
    var omit: [String] = []

    @Option(name: .long, help: ArgumentHelp("Place this kind even when omit names it (npm's include): prod, dev, optional or peer; repeat for more.", valueName: "type"))
    var include: [String] = []

    @Option(name: .long, help: ArgumentHelp("The os optional packages are chosen for instead of this machine's (npm's --os; npm 10.8 checks required ones against the machine).", valueName: "os"))
    var os: String?

    @Option(name: .long, help: ArgumentHelp("The cpu optional packages are chosen for (npm's --cpu).", valueName: "cpu"))
    var cpu: String?

    @Option(name: .long, help: ArgumentHelp("The libc optional packages are chosen for (npm's --libc).", valueName: "libc"))
    var libc: String?

    /// The settings given, as npm's command-line layer: a list is its values joined by a blank line.
    var commandLine: [(String, String)] {
        var settings: [(String, String)] = []
        if !omit.isEmpty { settings.append(("omit", omit.joined(separator: "\n\n"))) }
        if !include.isEmpty { settings.append(("include", include.joined(separator: "\n\n"))) }
        for (key, value) in [("os", os), ("cpu", cpu), ("libc", libc)] { if let value { settings.append((key, value)) } }
        return settings
    }
}
