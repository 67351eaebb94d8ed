// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "commons",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "commons", targets: ["commons"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Shared vocabulary with no outside dependencies: clock, slugs, plain errors.
        .target(
            name: "CommonsCore",
            swiftSettings: swiftSettings
        ),
        // Where the data lives: SQLite by default, PostgreSQL at scale, and the checks on both.
        .target(
            name: "CommonsStorage",
            dependencies: [
                "CommonsCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Keys, field encryption and blind indexes for supporters' personal data; signed form tokens.
        .target(
            name: "CommonsPrivacy",
            dependencies: [
                "CommonsCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The append-only record of who did what with supporter data and accounts.
        .target(
            name: "CommonsAudit",
            dependencies: [
                "CommonsCore",
                .product(name: "FluentKit", package: "fluent-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // Staff accounts, roles, passwords, two-factor sign-in, sessions.
        .target(
            name: "CommonsAccounts",
            dependencies: [
                "CommonsCore",
                "CommonsAudit",
                "CommonsPrivacy",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Resources/common-passwords.txt")],
            swiftSettings: swiftSettings
        ),
        // libxml2's XML and HTML parsers (Debian: libxml2-dev), for WordPress imports and HTML bodies.
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        // GitHub's CommonMark parser, linear-time and fuzzed (Debian: libcmark-gfm-dev, libcmark-gfm-extensions-dev).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // libvips (Debian: libvips-dev), for resizing uploaded pictures into the widths pages offer.
        .systemLibrary(name: "CVips", pkgConfig: "vips", providers: [.apt(["libvips-dev"])]),
        // Pictures: resized copies of uploads, as WebP and JPEG, upright and without metadata.
        .target(
            name: "CommonsImages",
            dependencies: ["CVips", .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Datasets drawn as charts: reading CSV, the kinds of its columns, charts as SVG.
        // Plain Swift with no dependencies, so the fuzzer compiles its files as they are.
        .target(name: "CommonsCharts", dependencies: ["CommonsCore"], swiftSettings: swiftSettings),
        // Posts, pages, documents, datasets, categories, tags, site settings.
        .target(
            name: "CommonsContent",
            dependencies: [
                "CLibXML2",
                "CommonsCharts",
                "CommonsImages",
                "CCmarkGFM",
                "CommonsAudit",
                "CommonsCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Campaigns, and later events, supporters and their actions.
        .target(
            name: "CommonsOrganizing",
            dependencies: [
                "CommonsCore",
                "CommonsAudit",
                "CommonsPrivacy",
                "CommonsContent",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // A small SMTP client over SwiftNIO: EHLO, STARTTLS, AUTH, PIPELINING, SMTPUTF8.
        .target(
            name: "CommonsSMTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Email to supporters: the durable outbox, messages, mailings, delivery, suppression.
        .target(
            name: "CommonsMail",
            dependencies: [
                "CommonsCore",
                "CommonsAudit",
                "CommonsPrivacy",
                "CommonsOrganizing",
                "CommonsSMTP",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Partner tools: API tokens, and webhooks with their durable delivery queue.
        .target(
            name: "CommonsPartners",
            dependencies: [
                "CommonsCore",
                "CommonsAudit",
                "CommonsPrivacy",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The CEJ seed site, loaded through the same domain code editors use.
        .target(
            name: "CommonsDemo",
            dependencies: [
                "CommonsCore",
                "CommonsContent",
                "CommonsOrganizing",
                "CommonsPrivacy",
                .product(name: "FluentKit", package: "fluent-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // Moving in from elsewhere: the WordPress export importer.
        .target(
            name: "CommonsImport",
            dependencies: [
                "CLibXML2",
                "CommonsAudit",
                "CommonsCore",
                "CommonsContent",
                .product(name: "FluentKit", package: "fluent-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // HTTP: settings, routes, views, strings, assets, and the application itself.
        .target(
            name: "CommonsWeb",
            dependencies: [
                "CommonsCharts",
                "CommonsCore",
                "CommonsStorage",
                "CommonsContent",
                "CommonsOrganizing",
                "CommonsPrivacy",
                "CommonsAccounts",
                "CommonsAudit",
                "CommonsDemo",
                "CommonsImport",
                "CommonsMail",
                "CommonsSMTP",
                "CommonsPartners",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // Records the commit `commons --version` prints.
        .plugin(name: "BuildInfo", capability: .buildTool()),
        .executableTarget(
            name: "commons",
            dependencies: [
                "CommonsWeb",
                "CommonsStorage",
                "CommonsAccounts",
                "CommonsAudit",
                "CommonsCore",
                "CommonsContent",
                "CommonsOrganizing",
                "CommonsPrivacy",
                "CommonsImport",
                "CommonsMail",
                "CommonsSMTP",
                "CommonsPartners",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings,
            plugins: ["BuildInfo"]
        ),
        // Fills a data folder with generated posts and supporters for `bench/run.sh`.
        .executableTarget(
            name: "bench-seed",
            dependencies: ["CommonsWeb", "CommonsStorage", "CommonsDemo", "CommonsMail", "CommonsPrivacy"],
            path: "bench/seed",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CommonsTests",
            dependencies: [
                "CommonsCharts",
                "CommonsImages",
                "CommonsImport",
                "CommonsCore",
                "CommonsStorage",
                "CommonsContent",
                "CommonsOrganizing",
                "CommonsPrivacy",
                "CommonsAccounts",
                "CommonsAudit",
                "CommonsDemo",
                "CommonsWeb",
                "CommonsMail",
                "CommonsSMTP",
                "CommonsPartners",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            exclude: ["Support/openapi_validate.py", "Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
