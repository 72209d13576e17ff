import CloudCore
import CloudModel

/// ZooStack's `getVirtualMachineConsoleOutput` (CloudStack has none; AWS has GetConsoleOutput, Nova a console log).
enum ConsoleOutputCommands {
    static var all: [CommandDescriptor] { [get] }

    static let get = CommandDescriptor(
        "getVirtualMachineConsoleOutput",
        "Returns the tail of a running virtual machine's serial console",
        parameters: [
            ParameterDescriptor("id", .uuid, required: true, "The ID of the virtual machine"),
            ParameterDescriptor(
                "lines",
                .integer,
                range: 1...UserVMService.consoleOutputMaxLines,
                "How many lines of the tail (default \(UserVMService.consoleOutputDefaultLines), at most "
                    + "\(UserVMService.consoleOutputMaxLines))"
            ),
        ]
    ) { context in
        let (vm, output) = try await context.core.userVMs.consoleOutput(
            context.access,
            id: try context.required("id"),
            lines: context.int("lines")
        )
        return .object(
            name: "consoleoutput",
            .object([("virtualmachineid", .string(vm.id)), ("output", .string(output))])
        )
    }
}
