public import FoundationEssentials

/// One regular file to pack, addressed by its package-relative path (`lib/index.js`).
public struct PackFile: Sendable, Equatable {
    /// Package-relative path using `/`; `./` prefixes and empty components are normalised away.
    public var path: String
    public var contents: Data
    /// Packed with mode 0755 instead of 0644 (npm does this for package bins).
    public var executable: Bool

    public init(path: String, contents: Data, executable: Bool = false) {
        self.path = path
        self.contents = contents
        self.executable = executable
    }
}
