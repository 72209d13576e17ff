import CloudModel

/// What a state-changing command records in the event log, as CloudStack's `@ActionEvent` and
/// `BaseAsyncCmd.getEventType()/getEventDescription()` do: the event type, the action's phrase and the resource.
///
/// A sync command records one `Completed` event (INFO on success, ERROR "Error while ..." on failure); an async
/// command records `Scheduled` when its job is queued, `Started` when the job begins ("Starting job for ...")
/// and `Completed` when it ends ("Successfully completed ...", or ERROR "Error while ..."), the last two linked to
/// the first through `startid` (`parentid` in `listEvents`).
public struct CommandEvent: Sendable, Hashable {
    /// The resource kinds events name: CloudStack's `ApiCommandResourceType` and the word its descriptions use.
    public struct Resource: Sendable, Hashable {
        /// `ApiCommandResourceType` (`VirtualMachine`, `Volume`, ...); nil for events about no one resource.
        public var type: String?
        /// The word in descriptions (`Vm` in "starting Vm. Vm Id: ...").
        public var label: String
        /// The parameters that name the resource, first present wins.
        public var parameters: [String]

        static let none = Resource(type: nil, label: "", parameters: [])
        static let vm = Resource(type: "VirtualMachine", label: "Vm", parameters: ["id", "virtualmachineid"])
        static let vmOfNic = Resource(type: "VirtualMachine", label: "Vm", parameters: ["virtualmachineid"])
        static let volume = Resource(type: "Volume", label: "Volume", parameters: ["id"])
        static let snapshot = Resource(type: "Snapshot", label: "Snapshot", parameters: ["id", "snapshotid"])
        static let snapshotPolicy = Resource(type: "SnapshotPolicy", label: "Snapshot policy", parameters: ["id"])
        static let template = Resource(type: "Template", label: "Template", parameters: ["id"])
        static let iso = Resource(type: "Iso", label: "Iso", parameters: ["id"])
        static let network = Resource(type: "Network", label: "Network", parameters: ["id"])
        static let vpc = Resource(type: "Vpc", label: "Vpc", parameters: ["id"])
        static let vpcOffering = Resource(type: "VpcOffering", label: "VPC offering", parameters: ["id"])
        static let ip = Resource(type: "IpAddress", label: "Ip", parameters: ["id", "ipaddressid"])
        static let rule = Resource(type: "FirewallRule", label: "Rule", parameters: ["id"])
        static let loadBalancer = Resource(type: "LoadBalancerRule", label: "Load balancer", parameters: ["id"])
        static let acl = Resource(type: "NetworkAcl", label: "Network ACL", parameters: ["id", "aclid"])
        static let aclItem = Resource(type: "NetworkAclItem", label: "Network ACL item", parameters: ["id"])
        static let securityGroup = Resource(
            type: "SecurityGroup",
            label: "Security group",
            parameters: ["id", "securitygroupid"]
        )
        static let affinityGroup = Resource(type: "AffinityGroup", label: "Affinity group", parameters: ["id"])
        static let user = Resource(type: "User", label: "User", parameters: ["id"])
        static let account = Resource(type: "Account", label: "Account", parameters: ["id"])
        static let domain = Resource(type: "Domain", label: "Domain", parameters: ["id"])
        static let host = Resource(type: "Host", label: "Host", parameters: ["id"])
        static let serviceOffering = Resource(type: "ServiceOffering", label: "Service offering", parameters: ["id"])
        static let diskOffering = Resource(type: "DiskOffering", label: "Disk offering", parameters: ["id"])
        static let zone = Resource(type: "Zone", label: "Zone", parameters: ["id"])
        static let pod = Resource(type: "Pod", label: "Pod", parameters: ["id"])
        static let cluster = Resource(type: "Cluster", label: "Cluster", parameters: ["clusterid", "id"])
        static let role = Resource(type: "Role", label: "Role", parameters: ["id"])
        static let roleOfRule = Resource(type: "Role", label: "Role", parameters: ["roleid"])
        static let project = Resource(type: "Project", label: "Project", parameters: ["id", "projectid"])
    }

    /// CloudStack's event type (`VM.START`).
    public var type: EventType
    /// The action's phrase (`starting Vm`).
    public var action: String
    /// The resource it acts on.
    public var resource: Resource

    /// Creates an entry.
    init(_ type: EventType, _ action: String, _ resource: Resource = .none) {
        self.type = type
        self.action = action
        self.resource = resource
    }

    /// The resource's UUID named by the request's parameters.
    /// - Parameter parameters: the request's parameters.
    /// - Returns: the first present of ``Resource/parameters``.
    public func resourceId(in parameters: APIParameters) -> String? {
        for name in self.resource.parameters {
            if let value = parameters[name], !value.isEmpty { return value }
        }
        return nil
    }

    /// The event's description: the action, and the resource when known (`starting Vm. Vm Id: <uuid>`).
    /// - Parameter resourceId: the resource's UUID.
    /// - Returns: the description.
    public func description(resourceId: String?) -> String {
        guard let resourceId, !self.resource.label.isEmpty else { return self.action }
        return "\(self.action). \(self.resource.label) Id: \(resourceId)"
    }
}
