extension Array {
    /// The elements in order, `size` at a time (the last chunk may be shorter); none for an
    /// empty array. For statements that bind a list of values: SQLite takes at most 32,766
    /// parameters, so long lists are sent a chunk at a time.
    public func chunked(_ size: Int) -> [[Element]] {
        precondition(size > 0, "a chunk holds at least one element")
        return stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
