import Foundation

// Swift concurrency runs tests on as many threads as there are cores (two in CI). A test that
// blocks one of them waiting for a child process (a Python checker, a server's exit) holds up
// every other test's tasks meanwhile, down to a server's request timing out. These wait on a
// Dispatch thread instead, as `RawConnection` reads do.

extension Process {
    /// Waits until the process has exited, without blocking a Swift concurrency thread.
    func exited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.waitUntilExit()
                continuation.resume()
            }
        }
    }
}

extension FileHandle {
    /// Everything until the end of the file (for a pipe: until the writer closes it), read
    /// without blocking a Swift concurrency thread.
    func readAllWithoutBlocking() async -> Data {
        await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
            DispatchQueue.global().async { continuation.resume(returning: self.readDataToEndOfFile()) }
        }
    }
}
