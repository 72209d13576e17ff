import Foundation
import Testing

/// `zoostack` without a server: help text snapshots, usage errors (exit 64) and connection failures (exit 2).
struct ZooStackCommandLineTests {
    @Test func zkHelpMatchesSnapshot() async throws {
        let result = try await ZooStackExecutable.run(["zk", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout == Self.zkHelp)
    }

    @Test(arguments: [
        ["zk", "ls", "--bogus", "/"],
        ["zk", "ls"],
        ["zk", "get", "no-slash"],
        ["zk", "create", "/a", "data", "world:anyone"],
        ["zk", "create", "/a", "data", "world:anyone:rwx"],
        ["zk", "create", "-c", "-e", "/a"],
        ["zk", "create", "-e", "-t", "100", "/a"],
        ["zk", "--server", "host:notaport", "ls", "/"],
        ["zk", "--timeout-ms", "0", "ls", "/"],
        ["zk", "nosuchcommand"],
    ])
    func usageErrorsExit64(arguments: [String]) async throws {
        let result = try await ZooStackExecutable.run(arguments)
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("Usage: zoostack") || result.stderr.hasPrefix("Error: "))
    }

    @Test func noServerExits2() async throws {
        // The message says the 500 ms limit was what ended it (no wall-clock bound: this machine may be loaded).
        let result = try await ZooStackExecutable.run([
            "zk", "--server", "127.0.0.1:1", "--timeout-ms", "500", "ls", "/",
        ])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "Cannot connect to ZooKeeper at 127.0.0.1:1: no session within 500 ms\n")
    }

    static let zkHelp = """
        OVERVIEW: Run one ZooKeeper command, with zkCli.sh's output.

        Results go to stdout and errors to stderr. Exit status: 0 on success, 1 when
        the server refused the operation (e.g. Node does not exist), 2 when no session
        could be established or the connection was lost, 64 on a usage error.

        USAGE: zoostack zk [--server <host:port[,host:port][/chroot]>] [--timeout-ms <ms>] [--auth <scheme:credentials> ...] [--cluster-credentials <file>] [--zookeeper-tls-ca <pem>] [--zookeeper-tls-cert <pem>] [--zookeeper-tls-key <pem>] <subcommand>

        OPTIONS:
          --server <host:port[,host:port][/chroot]>
                                  The servers and optional chroot, as in a ZooKeeper
                                  connect string. (default: 127.0.0.1:2181)
          --timeout-ms <ms>       The session timeout to ask for, and how long to wait
                                  for a session, in milliseconds. (default: 10000)
          --auth <scheme:credentials>
                                  Credentials to add to the session, as zkCli.sh's
                                  addauth (e.g. digest:user:password). Repeatable.
          --cluster-credentials <file>
                                  Authenticate as a ZooStack cluster: its credentials
                                  file (as --auth digest:USER:PASSWORD from it).
          --zookeeper-tls-ca <pem>
                                  Speak TLS to ZooKeeper (its secureClientPort),
                                  trusting the CA certificates in this PEM file.
          --zookeeper-tls-cert <pem>
                                  This client's certificate (PEM), for an ensemble that
                                  asks for one.
          --zookeeper-tls-key <pem>
                                  The key (PEM) of --zookeeper-tls-cert.
          -h, --help              Show help information.

        SUBCOMMANDS:
          ls                      List a znode's children.
          get                     Print a znode's data.
          set                     Replace a znode's data.
          create                  Create a znode.
          delete                  Delete a znode that has no children.
          deleteall               Delete a znode and all its descendants.
          stat                    Print a znode's Stat.
          getacl, getAcl          Print a znode's ACL.
          setacl, setAcl          Replace a znode's ACL.
          watch                   Print a znode's changes as they happen (a persistent
                                  watch).

          See 'zoostack help zk <subcommand>' for detailed help.

        """
}
