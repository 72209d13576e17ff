import CloudAPI
import CloudCore
import Foundation

/// `<data-dir>/admin-credentials.json`, mode 0600: the profile `zoostack call` reads.
enum CredentialsFile {
    static func path(dataDir: String) -> String {
        "\(dataDir)/admin-credentials.json"
    }

    static func write(_ credentials: AdminCredentials, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(credentials)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    }

    static func read(_ path: String) throws -> AdminCredentials {
        try JSONDecoder().decode(AdminCredentials.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
