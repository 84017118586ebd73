public import Foundation

/// Where a run finds its inputs and puts its scratch folders.
public struct MatrixEnvironment: Sendable {
    public let repository: URL
    public let verifyInstall: URL
    /// The real npm, or nil (its cells are then `skipped`).
    public let npm: URL?
    /// Each cell's world and projects live in a folder under here, removed when the cell ends.
    public let scratch: URL
    /// Seconds before a client is terminated.
    public let clientTimeout: Double

    public init(repository: URL, verifyInstall: URL, npm: URL? = MatrixEnvironment.onPath("npm"), scratch: URL, clientTimeout: Double = 240) {
        self.repository = repository
        self.verifyInstall = verifyInstall
        self.npm = npm
        self.scratch = scratch
        self.clientTimeout = clientTimeout
    }

    /// The first `name` on PATH.
    public static func onPath(_ name: String) -> URL? { CellProcess.which(name) }
}
