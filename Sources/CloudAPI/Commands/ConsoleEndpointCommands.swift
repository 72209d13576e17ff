import CloudCore
import CloudModel

/// CloudStack 4.18's `createConsoleEndpoint`: a URL of this management server's console proxy with a single-use,
/// expiring token; its websocket carries the VM's VNC (RFB) stream.
enum ConsoleEndpointCommands {
    static var all: [CommandDescriptor] { [create] }

    static let create = CommandDescriptor(
        "createConsoleEndpoint",
        "Create a console endpoint to connect to a VM console",
        events: .unrecorded("issues a console session token; changes no cloud resource"),
        parameters: [
            ParameterDescriptor("virtualmachineid", .uuid, required: true, "ID of the VM"),
            ParameterDescriptor(
                "token",
                .string,
                "(optional) extra security token, valid when the extra validation is enabled"
            ),
        ]
    ) { context in
        let endpoint = try await context.core.userVMs.consoleEndpoint(
            context.access,
            id: try context.required("virtualmachineid")
        )
        return .object(
            name: "consoleendpoint",
            .object([
                ("success", .bool(true)), ("url", .string(endpoint.url)),
                (
                    "websocket",
                    .object([
                        ("token", .string(endpoint.token)), ("host", .string(endpoint.host)),
                        ("port", .string(endpoint.port)), ("path", .string(endpoint.path)),
                    ])
                ),
            ])
        )
    }
}
