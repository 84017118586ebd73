public import Foundation
public import CodedError

/// Writes the publish workflow into a project, never clobbering a file someone edited.
///
/// An absent file is created (with its folders); an identical file is left alone; a file that
/// differs is replaced only with `force`, otherwise the emitter fails with `workflowModified`.
public struct WorkflowEmitter: Sendable {
    /// What `emit` did.
    public enum Outcome: String, Sendable, Equatable {
        case created
        case upToDate = "up-to-date"
        case overwritten
    }

    /// The text to write (the template, unless a test supplies another).
    public let contents: String
    /// Relative path inside the project.
    public let relativePath: String

    public init(contents: String = WorkflowTemplate.npmLibrary, relativePath: String = WorkflowTemplate.relativePath) {
        self.contents = contents
        self.relativePath = relativePath
    }

    /// The absolute file the workflow goes to for `project`.
    public func destination(in project: URL) -> URL {
        project.appendingPathComponent(relativePath)
    }

    /// Writes the workflow under `project`; see the type documentation for the rules.
    public func emit(into project: URL, force: Bool) throws(PublishError) -> Outcome {
        let file = destination(in: project)
        // Found by review: a `.github` linked elsewhere took the workflow out of the project.
        try ProjectOutputPath.refuseSymlinks(in: project, relativePath, what: "the workflow")
        let wanted = Data(contents.utf8)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: file.path, isDirectory: &isDirectory)
        if exists {
            guard !isDirectory.boolValue else {
                throw PublishError(.io, "expected a workflow file at \(file.path), found a directory")
            }
            guard let current = FileManager.default.contents(atPath: file.path) else {
                throw PublishError(.io, "cannot read the existing workflow \(file.path)")
            }
            if current == wanted { return .upToDate }
            guard force else {
                throw PublishError(.workflowModified, """
                    \(file.path) exists and differs from the mochi-publish-npm template \
                    (\(current.count) bytes on disk, \(wanted.count) in the template); \
                    not overwriting it. Re-run with --force to replace it.
                    """)
            }
        }
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try wanted.write(to: file, options: .atomic)
        } catch {
            throw PublishError(.io, "cannot write the workflow \(file.path): \(error.localizedDescription)")
        }
        return exists ? .overwritten : .created
    }
}
