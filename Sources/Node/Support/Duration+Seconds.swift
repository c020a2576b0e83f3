extension Duration {
    /// The duration in seconds, as a floating-point number (for reports, never for money).
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
