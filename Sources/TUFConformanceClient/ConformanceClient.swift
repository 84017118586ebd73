import DurableFile
import Foundation
import TUF

/// `tuf-conformance-client`: the client-under-test CLI of the tuf-conformance suite over the `TUF`
/// module. Exit 0 on success, 1 on any failure; progress and errors go to stderr.
@main
struct ConformanceClient {
    static func main() async {
        let arguments: ClientArguments
        do { arguments = try ClientArguments.parse(Array(CommandLine.arguments.dropFirst())) } catch {
            report("usage: \(error)")
            exit(1)
        }
        do {
            try await run(arguments)
            exit(0)
        } catch {
            report("FAILED: \(error)")
            exit(1)
        }
    }

    static func report(_ line: String) {
        FileHandle.standardError.write(Data("tuf-conformance-client: \(line)\n".utf8))
    }

    static func run(_ arguments: ClientArguments) async throws {
        let metadataDir = URL(fileURLWithPath: arguments.metadataDir!)
        switch arguments.command! {
        case .initialize(let trustedRoot):
            // The suite expects no checks here: the root is verified when the client loads it.
            let data = try Data(contentsOf: URL(fileURLWithPath: trustedRoot))
            try FileManager.default.createDirectory(at: metadataDir, withIntermediateDirectories: true)
            try DurableFile.replace(MetadataStore(directory: metadataDir).fileURL(for: "root"), with: data)
            report("initialised \(metadataDir.path) with \(trustedRoot)")
        case .refresh:
            let updater = try makeUpdater(arguments, metadataDir: metadataDir)
            try await updater.refresh()
            report("refreshed \(metadataDir.path)")
        case .download:
            let updater = try makeUpdater(arguments, metadataDir: metadataDir)
            for name in arguments.targetNames {
                guard let file = try await updater.targetInfo(for: name) else {
                    throw TUFError(.targetNotFound, role: "target \(name)", rule: "5.7.2", "no trusted targets metadata describes it")
                }
                if let cached = await updater.cachedTarget(file) {
                    report("\(name) is cached and verified at \(cached.url.path)")
                } else {
                    let stored = try await updater.downloadTarget(file)
                    report("\(name) downloaded to \(stored.url.path)")
                }
            }
        }
    }

    static func makeUpdater(_ arguments: ClientArguments, metadataDir: URL) throws -> TUFUpdater {
        // Every step is logged to stderr (the suite shows it for failing tests); -v is accepted but not needed.
        return TUFUpdater(
            metadataDirectory: metadataDir, metadataBaseURL: arguments.metadataURL!,
            targetDirectory: arguments.targetDir.map { URL(fileURLWithPath: $0) },
            targetBaseURL: arguments.targetBaseURL, fetcher: try CurlFetcher(),
            log: { line in report(line) })
    }
}
