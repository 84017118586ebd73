/// Progress of an install, for a CLI to draw on stderr.
public enum InstallEvent: Sendable {
    case resolving(count: Int)
    case resolved(packages: Int)
    case fetched(name: String, version: String, fromCache: Bool, done: Int, total: Int)
    case placed(packages: Int)
    case warning(String)
}

/// Receives install progress; must be cheap and thread-safe.
public typealias InstallProgress = @Sendable (InstallEvent) -> Void
