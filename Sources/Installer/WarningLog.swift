import Synchronization

/// Collects one run's warnings for the report and shows each as it happens.
final class WarningLog: Sendable {
    private let progress: InstallProgress
    private let entries = Mutex<[String]>([])

    init(progress: @escaping InstallProgress) {
        self.progress = progress
    }

    func warn(_ message: String) {
        entries.withLock { $0.append(message) }
        progress(.warning(message))
    }

    var all: [String] { entries.withLock { $0 } }
}
