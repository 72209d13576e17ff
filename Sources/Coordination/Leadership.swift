import ZooKeeperRecipes

/// Whether this management server leads, and with which fencing token.
public struct Leadership: Hashable, Sendable {
    /// The leader's fencing token while it leads; nil otherwise.
    public var token: FencingToken?

    /// Whether this management server leads.
    public var isLeader: Bool { self.token != nil }
    /// The epoch of this leadership (the fencing token's version), nil when not leading.
    public var epoch: Int32? { self.token?.epoch }

    /// Not leading.
    public static let follower = Leadership(token: nil)

    /// Makes a value.
    /// - Parameter token: the token, nil when not leading.
    public init(token: FencingToken?) {
        self.token = token
    }
}
