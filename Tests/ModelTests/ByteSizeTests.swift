import Model
import Testing

@Suite("Byte sizes")
struct ByteSizeTests {
    @Test(
        "bytes as KB and MB",
        arguments: [
            (0, "0 bytes"), (1, "1 byte"), (1023, "1023 bytes"), (1024, "1.0 KB"), (1536, "1.5 KB"),
            (10 * 1024, "10 KB"), (256 * 1024, "256 KB"), (1_048_575, "1023 KB"), (1 << 20, "1.0 MB"),
            (5 * 1024 * 1024, "5.0 MB"), (5_242_879, "4.9 MB"), (3 << 30, "3.0 GB"),
        ] as [(Int64, String)]
    )
    func text(_ bytes: Int64, _ shown: String) {
        #expect(ByteSize.text(bytes) == shown)
    }
}
