/// CloudStack's string length limits (`@Parameter(length=)`, 255 unless the command says otherwise), by parameter
/// name and command, filled into every ``ParameterDescriptor`` of the registry that does not declare its own.
enum ParameterLimits {
    /// The limit of `parameter` in `command`.
    /// - Parameters:
    ///   - parameter: the parameter's descriptor.
    ///   - command: the command's API name.
    /// - Returns: the longest value accepted.
    static func length(of parameter: ParameterDescriptor, in command: String) -> Int {
        if let declared = parameter.length { return declared }
        let lowered = command.lowercased()
        switch parameter.name {
        case "userdata":
            // DeployVMCmd, UpdateVMCmd, RegisterUserDataCmd: 1 MiB of base64 (POST).
            return 1_048_576
        case "publickey", "extraconfig":
            // RegisterSSHKeyPairCmd and DeployVMCmd.
            return 5120
        case "value" where lowered == "updateconfiguration":
            return 4096
        case "displaytext" where ["template", "iso", "offering"].contains(where: lowered.contains):
            // Templates, ISOs and offerings keep 4096 characters of display text.
            return 4096
        case "url" where ["template", "iso", "imagestore"].contains(where: lowered.contains):
            return 2048
        case "details" where parameter.kind == .map:
            // `vm_details.value` and friends: 5120 characters.
            return 5120
        default:
            return ParameterDescriptor.defaultLength
        }
    }

    /// The values a numeric parameter accepts beyond its kind's range, by name (nil: the kind's range).
    /// - Parameter parameter: the parameter's descriptor.
    /// - Returns: the range.
    static func range(of parameter: ParameterDescriptor) -> ClosedRange<Int>? {
        if let declared = parameter.range { return declared }
        switch parameter.name {
        case "icmptype", "icmpcode": return -1...255
        default: return nil
        }
    }

    /// The longest key of a map parameter's entries (`resource_tags.key`, detail names: 255 characters).
    static let mapKeyLength = 255
}
