import Foundation

/// Where a node keeps its files, as the contract resolves it: `--data DIR`, else
/// `$NEXTSOFT_DATA`, else `$XDG_DATA_HOME/nextsoft`, else `~/.local/share/nextsoft`.
public enum DataDirectory {
    public static func resolve(
        explicit: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let explicit, !explicit.isEmpty { return URL(fileURLWithPath: explicit).standardizedFileURL }
        if let data = environment["NEXTSOFT_DATA"], !data.isEmpty {
            return URL(fileURLWithPath: data).standardizedFileURL
        }
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("nextsoft").standardizedFileURL
        }
        let home =
            environment["HOME"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".local/share/nextsoft").standardizedFileURL
    }
}
