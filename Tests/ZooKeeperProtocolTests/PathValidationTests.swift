import Testing
import ZooKeeperProtocol

/// ZooKeeper's path rules (`PathUtils.validatePath`) and the path helpers.
struct PathValidationTests {
    static let valid: [String] = [
        "/", "/a", "/a/b", "/.hidden", "/a/.b", "/a..b", "/a.", "/...", "/a/b..", "/name/with.period.",
        "/this is / a valid/path", "/test\u{20}", "/test\u{7E}", "/test\u{A0}", "/test\u{D7FF}", "/test\u{F900}",
        "/test\u{FFEF}", Samples.unicodePath, "/zookeeper/quota", "/seq-0000000001",
    ]

    static let invalid: [(String, String)] = [
        ("", "Path length must be > 0"),
        ("a", "Path must start with / character"),
        ("not/valid", "Path must start with / character"),
        ("/a/", "Path must not end with / character"),
        ("/ends/with/slash/", "Path must not end with / character"),
        ("//", "Path must not end with / character"),
        ("/a//b", "empty node name specified @3"),
        ("/.", "relative paths not allowed @1"),
        ("/..", "relative paths not allowed @2"),
        ("/a/.", "relative paths not allowed @3"),
        ("/a/./b", "relative paths not allowed @3"),
        ("/a/../b", "relative paths not allowed @4"),
        ("/a/..", "relative paths not allowed @4"),
        ("/a\u{0}b", "null character not allowed @2"),
        ("/test\u{0}", "null character not allowed @5"),
        ("/a\u{1}", "invalid character @2"),
        ("/a\tb", "invalid character @2"),
        ("/a\nb", "invalid character @2"),
        ("/test\u{1F}", "invalid character @5"),
        ("/test\u{7F}", "invalid character @5"),
        ("/test\u{80}", "invalid character @5"),
        ("/test\u{9F}", "invalid character @5"),
        ("/test\u{E000}", "invalid character @5"),
        ("/test\u{F8FF}", "invalid character @5"),
        ("/test\u{FFF0}", "invalid character @5"),
        ("/test\u{FFFD}", "invalid character @5"),
        ("/test\u{FFFF}", "invalid character @5"),
        // A supplementary character is a UTF-16 surrogate pair, and a high surrogate is in U+D800–F8FF.
        ("/emoji\u{1F600}", "invalid character @6"),
        ("/\u{10000}", "invalid character @1"),
    ]

    @Test(arguments: Self.valid)
    func validPaths(path: String) throws {
        try PathValidation.validate(path)
        #expect(PathValidation.isValid(path))
    }

    @Test(arguments: Self.invalid)
    func invalidPaths(path: String, reason: String) {
        #expect(!PathValidation.isValid(path))
        let failure = #expect(throws: PathValidation.Failure.self) {
            try PathValidation.validate(path)
        }
        #expect(failure?.path == path)
        #expect(failure?.reason == reason)
    }

    /// A sequential create is checked with a digit appended, so a trailing slash is a valid prefix.
    @Test(arguments: ["/a/", "/", "/a/b-", "/a/."])
    func sequentialPrefixesThatAreValid(path: String) throws {
        try PathValidation.validate(path, isSequential: true)
    }

    @Test(arguments: ["", "a/", "/a//", "/a\u{0}/", "/../", "/./"])
    func sequentialPrefixesThatAreNot(path: String) {
        #expect(throws: PathValidation.Failure.self) {
            try PathValidation.validate(path, isSequential: true)
        }
    }

    @Test func failureReportsThePathAsGivenNotWithTheDigit() {
        let failure = #expect(throws: PathValidation.Failure.self) {
            try PathValidation.validate("/a//", isSequential: true)
        }
        #expect(failure?.path == "/a//")
        #expect(failure?.reason == "empty node name specified @3")
    }

    @Test func failureDescription() {
        let failure = #expect(throws: PathValidation.Failure.self) { try PathValidation.validate("/a/") }
        #expect(failure?.description == "Invalid path string \"/a/\" caused by Path must not end with / character")
    }

    @Test(arguments: [
        ("/", "/", ""),
        ("/a", "/", "a"),
        ("/a/b", "/a", "b"),
        ("/a/b/c", "/a/b", "c"),
        ("/zoo/ünï/日本", "/zoo/ünï", "日本"),
        ("/.hidden", "/", ".hidden"),
    ])
    func parentAndName(path: String, parent: String, name: String) {
        #expect(PathValidation.parent(of: path) == parent)
        #expect(PathValidation.name(of: path) == name)
        if path != "/" {
            #expect(PathValidation.join(parent, name) == path)
        }
    }

    @Test func join() {
        #expect(PathValidation.join("/", "a") == "/a")
        #expect(PathValidation.join("/a", "b") == "/a/b")
        #expect(PathValidation.join("/a/b", "seq-0000000001") == "/a/b/seq-0000000001")
    }
}
