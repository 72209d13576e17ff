/// Every command the server knows: the one declarative registry behind dispatch and listApis.
enum CommandCatalog {
    static var all: [CommandDescriptor] {
        InfrastructureCommands.all + CatalogueCommands.all + AccountCommands.all + JobCommands.all
            + DiscoveryCommands.all + VirtualMachineCommands.all
            + MigrationCommands.all + ScalingCommands.all + TemplateCommands.all + OfferingCommands.all
            + TagCommands.all
    }
}
