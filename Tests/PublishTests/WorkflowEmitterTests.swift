import FixtureTesting
import Foundation
import Publish
import Testing
import CodedError

/// Writing the workflow into a project: create, leave identical files alone, never clobber edits without force.
@Suite struct WorkflowEmitterTests {
    @Test func createsTheWorkflowWithItsFoldersThenReportsUpToDate() async throws {
        try await withScratch { (project) async throws in
            let emitter = WorkflowEmitter()
            #expect(try emitter.emit(into: project, force: false) == .created)
            let file = project.appendingPathComponent(".github/workflows/mochi-publish-npm.yml")
            #expect(try Data(contentsOf: file) == Data(contentsOf: TestPaths.workflowTemplate))
            #expect(try emitter.emit(into: project, force: false) == .upToDate)
        }
    }

    /// Found by review: a `.github` (or `workflows`, or the file) linked elsewhere carried the
    /// workflow out of the project; nothing is written through a link.
    @Test(arguments: [".github", ".github/workflows", ".github/workflows/mochi-publish-npm.yml"])
    func refusesToWriteThroughASymlink(linked: String) async throws {
        try await withScratch { (scratch) async throws in
            let project = scratch.appendingPathComponent("project"), outside = scratch.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
            let link = project.appendingPathComponent(linked)
            try FileManager.default.createDirectory(at: link.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: link, withDestinationURL: outside.appendingPathComponent(linked.hasSuffix(".yml") ? "file.yml" : "folder"))
            let error = #expect(throws: PublishError.self) { try WorkflowEmitter().emit(into: project, force: true) }
            #expect(error?.message.contains("\(link.path): it is a symlink") == true, "\(error?.message ?? "")")
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing written outside")
        }
    }

    @Test func refusesToOverwriteAnEditedWorkflowWithoutForce() async throws {
        try await withScratch { (project) async throws in
            let emitter = WorkflowEmitter()
            _ = try emitter.emit(into: project, force: false)
            let file = emitter.destination(in: project)
            let edited = WorkflowTemplate.npmLibrary.replacingOccurrences(of: "node-version: \"24\"", with: "node-version: \"20\"")
            #expect(edited != WorkflowTemplate.npmLibrary)
            try Data(edited.utf8).write(to: file)
            let error = #expect(throws: PublishError.self) { try emitter.emit(into: project, force: false) }
            #expect(error?.code == .workflowModified)
            #expect(error?.message.contains(file.path) == true && error?.message.contains("--force") == true)
            #expect(try String(contentsOf: file, encoding: .utf8) == edited, "the edited file is untouched")

            #expect(try emitter.emit(into: project, force: true) == .overwritten)
            #expect(try String(contentsOf: file, encoding: .utf8) == WorkflowTemplate.npmLibrary)
        }
    }

    @Test func aDirectoryInTheWayIsAnErrorEvenWithForce() async throws {
        try await withScratch { (project) async throws in
            let emitter = WorkflowEmitter()
            try FileManager.default.createDirectory(at: emitter.destination(in: project), withIntermediateDirectories: true)
            #expect(throws: PublishError.self) { try emitter.emit(into: project, force: true) }
        }
    }
}
