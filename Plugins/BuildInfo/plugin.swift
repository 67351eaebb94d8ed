import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` for the `commons` executable before each build: the commit the
/// binary is built from (`git rev-parse`, with `-modified` when the work tree differs from it,
/// `unknown` outside a git checkout), for `commons --version`. The file is rewritten only when
/// that changes, so a build with nothing new compiles nothing again.
@main
struct BuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo.swift")
        let package = context.package.directoryURL.path
        let script = """
            commit=$(git -C '\(package)' rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$commit" != unknown ] && ! git -C '\(package)' diff --quiet HEAD -- Sources Package.swift 2>/dev/null; then commit="$commit-modified"; fi
            next="let buildCommit = \\"$commit\\""
            [ "$(cat '\(output.path)' 2>/dev/null)" = "$next" ] || printf '%s\\n' "$next" > '\(output.path)'
            """
        return [
            .prebuildCommand(
                displayName: "Recording the commit for commons --version",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script],
                outputFilesDirectory: context.pluginWorkDirectoryURL
            )
        ]
    }
}
