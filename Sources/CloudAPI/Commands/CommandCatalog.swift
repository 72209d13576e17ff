/// Every command the server knows: the one declarative registry behind dispatch and listApis.
enum CommandCatalog {
    static var all: [CommandDescriptor] {
        InfrastructureCommands.all + CatalogueCommands.all + AccountCommands.all + JobCommands.all
            + DiscoveryCommands.all + VirtualMachineCommands.all + ConfigurationCommands.all + HostCommands.all
            + StorageCommands.all
            + InfrastructureAdminCommands.all
            + DomainCommands.all
            + MigrationCommands.all + ScalingCommands.all + TemplateCommands.all + OfferingCommands.all
            + TagCommands.all
            + VolumeCommands.all + SnapshotCommands.all + IsoCommands.all
            + DrsCommands.all + EventCommands.all + AlertCommands.all
            + NetworkCommands.all + VPCCommands.all + SSHKeyPairCommands.all + UserDataCommands.all
            + ConsoleOutputCommands.all + ConsoleEndpointCommands.all
            + PublicIPCommands.all + FirewallCommands.all + SecurityGroupCommands.all + AffinityGroupCommands.all
            + ClusterCommands.all
            + ResourceLimitCommands.all + ProjectCommands.all
            + MetadataCommands.all + InstanceGroupCommands.all + PhysicalNetworkCommands.all
            + NetworkOfferingCommands.all + VlanIpRangeCommands.all
    }
}
