/// A domain: a node of the account hierarchy. The root's path is `/`; a child's is `/child/`, a grandchild's
/// `/child/grandchild/` (CloudStack's `domain.path`).
public struct Domain: Sendable, Hashable, Codable {
    /// UUID.
    public var id: String
    /// Name (unique among its siblings).
    public var name: String
    /// `/`-separated path, ending in `/`.
    public var path: String
    /// The parent's UUID; nil for ROOT.
    public var parentId: String?

    /// Creates a domain.
    public init(id: String, name: String, path: String, parentId: String?) {
        self.id = id
        self.name = name
        self.path = path
        self.parentId = parentId
    }

    /// The depth: 0 for ROOT, 1 for its children, ...
    public var level: Int { self.path.split(separator: "/").count }

    /// The path as CloudStack's responses show it: `ROOT`, `ROOT/child/grandchild`.
    public var displayPath: String {
        (["ROOT"] + self.path.split(separator: "/").map(String.init)).joined(separator: "/")
    }

    /// Whether `other` is this domain or one of its descendants.
    public func contains(_ other: Domain) -> Bool {
        other.path.hasPrefix(self.path)
    }

    /// The path of a child named `name`.
    public func childPath(_ name: String) -> String {
        self.path + name + "/"
    }
}
