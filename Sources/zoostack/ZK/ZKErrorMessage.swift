import ZooKeeperProtocol

/// zkCli.sh's error messages: the table in ZooKeeper 3.8's `CliWrapperException.getMessage`, falling back to the
/// `KeeperException` message (`KeeperErrorCode = ConnectionLoss for /a`).
enum ZKErrorMessage {
    /// The message zkCli.sh prints for an error.
    /// - Parameter error: the error.
    /// - Returns: one line of text.
    static func text(for error: KeeperError) -> String {
        let path = error.path ?? "null"
        switch error.code {
        case .noNode: return "Node does not exist: \(path)"
        case .noChildrenForEphemerals: return "Ephemerals cannot have children: \(path)"
        case .nodeExists: return "Node already exists: \(path)"
        case .notEmpty: return "Node not empty: \(path)"
        case .notReadOnly: return "Not a read-only call: \(path)"
        case .invalidACL: return "Acl is not valid : \(path)"
        case .noAuth: return "Insufficient permission : \(path)"
        case .badArguments: return "Argument error : \(path)"
        case .badVersion: return "version No is not valid : \(path)"
        case .quotaExceeded: return "Quota has exceeded : \(path)"
        default: return error.description
        }
    }
}
