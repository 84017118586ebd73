import FixtureLayout
import FixtureRegistry
import Foundation

/// The paths a command uses: its own option when given, else ``FixturePaths/current``
/// (`$MOCHI_REGISTRY_*`, else the repository's `Registry/…`).
enum CommandPaths {
    /// The option's folder, else the layout's.
    static func folder(_ option: String?, else path: KeyPath<FixturePaths, URL>) -> URL {
        option.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? FixturePaths.current[keyPath: path]
    }

    /// The access config at the option's path, else the layout's.
    static func accessConfig(_ option: String? = nil) throws(RegistryError) -> RegistryConfig {
        try RegistryConfig.load(from: option.map { URL(fileURLWithPath: $0) } ?? FixturePaths.current.config)
    }

    /// Opens the storage folder `path` with the layout's access config.
    static func storage(_ path: String) throws(RegistryError) -> RegistryStorage {
        try RegistryStorage(directory: URL(fileURLWithPath: path, isDirectory: true), config: accessConfig())
    }
}
