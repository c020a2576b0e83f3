import Foundation
import Synchronization

/// The data folders whose `nodectl` processes run the test-only next release
/// (`NEXTSOFT_SCHEMA=preview`): every command and `serve` on such a folder gets the variable.
enum PreviewNodes {
    private static let folders = Mutex<Set<String>>([])

    /// Makes every later process on `folder` run the preview schema.
    static func register(_ folder: URL) {
        _ = folders.withLock { $0.insert(folder.standardizedFileURL.path) }
    }

    /// The environment of a process on `folder`: this one's, plus `extra`, plus the schema.
    static func environment(for folder: URL?, adding extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["NEXTSOFT_SCHEMA"] = nil
        for (key, value) in extra { environment[key] = value }
        if let folder, folders.withLock({ $0.contains(folder.standardizedFileURL.path) }) {
            environment["NEXTSOFT_SCHEMA"] = "preview"
        }
        return environment
    }
}
