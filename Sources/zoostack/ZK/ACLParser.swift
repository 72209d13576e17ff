import ArgumentParser
import ZooKeeperProtocol

/// Parses zkCli.sh's ACL syntax (`AclParser`): comma-separated `scheme:id:perms` entries, where the id is
/// everything between the first and the last colon — `world:anyone:cdrwa`, `digest:user:hash:cdrwa`,
/// `auth::cdrwa`, `ip:127.0.0.1:r`.
enum ACLParser {
    /// Parses an ACL.
    /// - Parameter text: the entries.
    /// - Returns: the ACL.
    /// - Throws: `ValidationError` for an entry without three parts or with a letter other than `cdrwa`
    ///   (zkCli.sh skips unknown letters with a warning; a typo in a permission is better refused).
    static func parse(_ text: String) throws(ValidationError) -> [ACL] {
        var acl: [ACL] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: true) {
            guard let first = entry.firstIndex(of: ":"), let last = entry.lastIndex(of: ":"), first != last else {
                throw ValidationError("\(entry) does not have the form scheme:id:perm")
            }
            let scheme = String(entry[..<first])
            let id = String(entry[entry.index(after: first)..<last])
            let letters = String(entry[entry.index(after: last)...])
            guard let perms = Permissions.parse(letters: letters) else {
                throw ValidationError("Unknown perm type in '\(letters)': use any of c, d, r, w, a")
            }
            acl.append(ACL(perms: perms, id: Id(scheme: scheme, id: id)))
        }
        guard !acl.isEmpty else { throw ValidationError("Empty ACL") }
        return acl
    }
}
