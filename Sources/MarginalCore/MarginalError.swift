/// An error that a person can act on: one line naming the thing and the problem.
public struct MarginalError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
