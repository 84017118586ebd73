/// The tuf-conformance client CLI (CLIENT-CLI.md), parsed by hand because the global options
/// come before the command:
///   --metadata-dir D init ROOT
///   --metadata-dir D --metadata-url U refresh
///   --metadata-dir D --metadata-url U --target-name N [--target-name N…] --target-base-url B --target-dir T download
struct ClientArguments {
    enum Command: Equatable {
        case initialize(trustedRoot: String)
        case refresh
        case download
    }

    var metadataDir: String?
    var metadataURL: String?
    var targetNames: [String] = []
    var targetBaseURL: String?
    var targetDir: String?
    var verbose = 0
    var command: Command?

    struct UsageError: Error, CustomStringConvertible {
        let description: String
    }

    static func parse(_ arguments: [String]) throws -> ClientArguments {
        var result = ClientArguments()
        var positional: [String] = []
        var i = 0
        func value(_ name: String, inline: String?) throws -> String {
            if let inline { return inline }
            i += 1
            guard i < arguments.count else { throw UsageError(description: "\(name) needs a value") }
            return arguments[i]
        }
        while i < arguments.count {
            let argument = arguments[i]
            let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
            let name = argument.hasPrefix("--") ? parts[0] : argument
            let inline = argument.hasPrefix("--") && parts.count == 2 ? parts[1] : nil
            switch name {
            case "--metadata-dir": result.metadataDir = try value(name, inline: inline)
            case "--metadata-url": result.metadataURL = try value(name, inline: inline)
            case "--target-name": result.targetNames.append(try value(name, inline: inline))
            case "--target-base-url": result.targetBaseURL = try value(name, inline: inline)
            case "--target-dir": result.targetDir = try value(name, inline: inline)
            case "-v", "--verbose": result.verbose += 1
            default:
                if argument.hasPrefix("-") && argument.count > 1 { throw UsageError(description: "unknown option \(argument)") }
                positional.append(argument)
            }
            i += 1
        }
        guard let command = positional.first else { throw UsageError(description: "missing command (init, refresh or download)") }
        switch (command, positional.count) {
        case ("init", 2): result.command = .initialize(trustedRoot: positional[1])
        case ("refresh", 1): result.command = .refresh
        case ("download", 1): result.command = .download
        default: throw UsageError(description: "unexpected arguments: \(positional.joined(separator: " "))")
        }
        guard result.metadataDir != nil else { throw UsageError(description: "--metadata-dir is required") }
        if command != "init", result.metadataURL == nil {
            throw UsageError(description: "--metadata-url is required for \(command)")
        }
        if result.command == .download {
            guard !result.targetNames.isEmpty, result.targetBaseURL != nil, result.targetDir != nil else {
                throw UsageError(description: "download needs --target-name, --target-base-url and --target-dir")
            }
        }
        return result
    }
}
