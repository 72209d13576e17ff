import CloudModel
import CloudStore
import Orchestrator

/// What deployVirtualMachine asks for.
public struct VirtualMachineDeployment: Sendable, Hashable {
    /// The service offering's UUID.
    public var serviceOfferingId: String
    /// The request's merged `details[N].*` (a customized offering's CPU count, speed and memory).
    public var details: [String: String]
    /// The template's UUID.
    public var templateId: String
    /// The zone's UUID.
    public var zoneId: String
    /// Whom the VM is for.
    public var owner: OwnerRequest
    /// The host to start it on (the root admin's).
    public var hostId: String?
    /// The host name.
    public var name: String?
    /// The display name.
    public var displayName: String?
    /// Networks, groups, key pairs and user data.
    public var extras: DeploymentExtras.Request
    /// The disk offering of an ISO deployment's blank root disk (`diskofferingid`; CloudStack requires it for ISOs).
    public var diskOfferingId: String?
    /// The root disk's size in GiB for a custom disk offering (`size`).
    public var diskSize: Int?
    /// The instance group to put the VM in (`group`), created in the owner's account when it has none of that name.
    public var group: String?

    /// Creates a deployment of a template with an offering in a zone, for the caller, with no extras.
    public init(serviceOfferingId: String, templateId: String, zoneId: String) {
        self.serviceOfferingId = serviceOfferingId
        self.details = [:]
        self.templateId = templateId
        self.zoneId = zoneId
        self.owner = OwnerRequest()
        self.extras = DeploymentExtras.Request()
    }
}

/// Deploying VMs (CloudStack's `UserVmManagerImpl.createVirtualMachine`): the offering, template, zone, owner,
/// extras and name are checked in CloudStack's order, then the VM is allocated within the owner's limits; starting
/// it is the lifecycle's (``CloudServices/virtualMachines``).
///
/// ```swift
/// let (vm, hostId) = try await services.deployments.deploy(access, deployment)
/// _ = try await services.virtualMachines.start(id: vm.id, onFailure: .operationFailedToError, hostId: hostId)
/// ```
public struct DeploymentService: Sendable {
    let services: CloudServices
    var store: CloudStore { self.services.store }

    /// Checks a deployment and allocates its VM (with its memberships, key pairs, user data and custom sizing).
    /// - Returns: the allocated (stopped) VM and the host to start it on, if one was named.
    /// - Throws: 431 for unknown, unusable or invalid inputs; 531 out of reach; 535 over a limit; the lifecycle's
    ///   errors.
    public func deploy(
        _ access: Access,
        _ deployment: VirtualMachineDeployment
    ) async throws -> (vm: VirtualMachine, hostId: String?) {
        let userVMs = self.services.userVMs
        var offering = try await userVMs.offering(access, id: deployment.serviceOfferingId)
        let sizing = try UserVMService.sizing(of: offering, details: deployment.details, command: access.command)
        (offering.cpuNumber, offering.cpuSpeed, offering.memory) = (sizing.cpuNumber, sizing.cpuSpeed, sizing.memory)
        guard let template = try await self.store.get(Template.self, id: deployment.templateId) else {
            throw access.unknown("templateid", deployment.templateId)
        }
        guard let zone = try await self.store.get(Zone.self, id: deployment.zoneId) else {
            throw access.unknown("zoneid", deployment.zoneId)
        }
        let owner = try await access.targetAccount(deployment.owner)
        let hostId = try await userVMs.explicitHostId(access, deployment.hostId)
        guard template.isReady, template.isPublic || [owner.id, access.caller.account.id].contains(template.accountId)
        else {
            throw CloudError(
                .paramError,
                csErrorCode: 4350,
                "Template \(template.id) is not ready or not available to the caller"
            )
        }
        // CloudStack boots an ISO onto a blank root disk of a disk offering (UserVmManagerImpl.createVirtualMachine),
        // the ISO attached; a template's root disk is the template's size.
        var rootDisk: (size: Int, diskOfferingId: String?) = (template.size, nil)
        if template.format == "ISO" {
            guard let diskOfferingId = deployment.diskOfferingId else {
                throw CloudError(
                    .paramError,
                    csErrorCode: 4350,
                    "Installing from ISO requires a disk offering to be specified for the root disk."
                )
            }
            let volumes = self.services.volumeOperations
            let diskOffering = try await volumes.diskOffering(access, id: diskOfferingId)
            rootDisk = (try volumes.size(access, for: diskOffering, requested: deployment.diskSize), diskOffering.id)
        }
        let extras = try await DeploymentExtras.resolve(
            deployment.extras,
            access,
            owner: owner,
            zone: zone,
            templateId: template.id
        )
        if let name = deployment.name {
            try VirtualMachineNames.checkValid(name)
            var networks = extras.networks
            if networks.isEmpty, let network = try await self.store.defaultNetwork(zoneId: zone.id) {
                networks = [network]
            }
            try await VirtualMachineNames.checkUnique(name, on: networks, store: self.store)
        }
        var request = VirtualMachineService.DeployRequest(
            accountId: owner.id,
            zone: zone,
            template: template,
            offering: offering,
            name: deployment.name,
            displayName: deployment.displayName
        )
        request.networks = extras.networks
        request.rootDiskSize = rootDisk.size
        request.rootDiskOfferingId = rootDisk.diskOfferingId
        // The VM, its CPUs, memory and root volume count against the owner's limits (and its domains').
        let demands: [ResourceType: Int] = [
            .userVM: 1, .cpu: offering.cpuNumber, .memory: offering.memory, .volume: 1,
            .primaryStorage: rootDisk.size,
        ]
        let vm = try await userVMs.limits.withReservation(for: owner, demands) {
            let vm = try await self.services.virtualMachines.allocate(request)
            try await extras.apply(vmId: vm.id, store: self.store)
            // Deployed from an ISO, the VM has it attached (CloudStack's `vm_instance.iso_id`): detachIso ejects it.
            if template.format == "ISO" { try await self.store.setDetails(of: vm.id, [VMDetailNames.iso: template.id]) }
            return vm
        }
        if let group = deployment.group, !group.isEmpty {
            try await self.services.instanceGroups.assign(vm, toGroupNamed: group)
        }
        if offering.isCustomized {
            try await self.store.setDetails(
                of: vm.id,
                [
                    "cpuNumber": String(sizing.cpuNumber), "cpuSpeed": String(sizing.cpuSpeed),
                    "memory": String(sizing.memory),
                ]
            )
        }
        return (vm, hostId)
    }
}

extension CloudServices {
    /// Deploying VMs.
    public var deployments: DeploymentService { DeploymentService(services: self) }
}
